using Microsoft.Extensions.DependencyInjection;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Storage;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Cli.Tests.Hosting;

/// <summary>
/// The real run store, except that reading or claiming <see cref="ServeHarness.ExplodingRunId"/> throws: a stand-in for a
/// bug. Everything else goes to the real store, so the store contract holds as the run store suites prove it.
/// </summary>
internal sealed class ExplodingRunStore(IRunRepository runs, IRunExecutionStore execution) : IRunRepository, IRunExecutionStore
{
    public const string Secret = "connection to db-internal-7 refused";

    /// <summary>Replaces both run store contracts of the host with the exploding one.</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddSingleton(sp => new ExplodingRunStore(sp.GetRequiredService<StorageSet>().Runs, sp.GetRequiredService<StorageSet>().RunExecution));
        services.AddSingleton<IRunRepository>(sp => sp.GetRequiredService<ExplodingRunStore>());
        services.AddSingleton<IRunExecutionStore>(sp => sp.GetRequiredService<ExplodingRunStore>());
    }

    public Task<RunRecord?> GetAsync(string runId, CancellationToken ct) =>
        runId == ServeHarness.ExplodingRunId ? throw new InvalidOperationException(Secret) : runs.GetAsync(runId, ct);

    public Task<(RunRecord Run, bool Created)> CreateAsync(RunRecord run, IReadOnlyList<StepRecord> steps, CancellationToken ct) => runs.CreateAsync(run, steps, ct);

    public Task<IReadOnlyList<StepRecord>> GetStepsAsync(string runId, CancellationToken ct) => runs.GetStepsAsync(runId, ct);

    public Task<IReadOnlyList<RunRecord>> ListAsync(string? pipeline, int limit, CancellationToken ct) => runs.ListAsync(pipeline, limit, ct);

    public Task<IReadOnlyList<string>> ListPipelinesAsync(CancellationToken ct) => runs.ListPipelinesAsync(ct);

    public Task<IReadOnlyList<string>> FindIdsAsync(string prefix, int limit, CancellationToken ct) => runs.FindIdsAsync(prefix, limit, ct);

    public Task<IReadOnlyList<RunRecord>> FindAsync(RunQuery query, CancellationToken ct) => runs.FindAsync(query, ct);

    public Task<IReadOnlyList<RunRecord>> ListByStatusAsync(string pipeline, IReadOnlyCollection<RunStatus> statuses, CancellationToken ct) => runs.ListByStatusAsync(pipeline, statuses, ct);

    public Task<RunClaim> ClaimAsync(string runId, string owner, DateTimeOffset now, TimeSpan staleAfter, CancellationToken ct) =>
        runId == ServeHarness.ExplodingRunId ? throw new InvalidOperationException(Secret) : execution.ClaimAsync(runId, owner, now, staleAfter, ct);

    public Task<bool> HeartbeatAsync(string runId, string owner, DateTimeOffset now, CancellationToken ct) => execution.HeartbeatAsync(runId, owner, now, ct);

    public Task<RunRecord?> RequestCancelAsync(string runId, CancelRequest request, CancellationToken ct) => execution.RequestCancelAsync(runId, request, ct);

    public Task CommitAsync(string? expectedOwner, IReadOnlyList<StepRecord> steps, RunRecord? run, CancellationToken ct) => execution.CommitAsync(expectedOwner, steps, run, ct);

    public Task<bool> DeleteEndedRunAsync(string runId, CancellationToken ct) => execution.DeleteEndedRunAsync(runId, ct);
}
