using Microsoft.Extensions.DependencyInjection;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Storage;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Cli.Tests.Hosting;

/// <summary>The real run store, except that reading <see cref="ServeHarness.ExplodingRunId"/> throws: a stand-in for a bug.</summary>
internal sealed class ExplodingRunStore(IRunStore inner) : IRunStore
{
    public const string Secret = "connection to db-internal-7 refused";

    public static IRunStore Wrap(IServiceProvider services) => new ExplodingRunStore(services.GetRequiredService<StorageSet>().Runs);

    public Task<RunRecord?> GetAsync(string runId, CancellationToken ct) =>
        runId == ServeHarness.ExplodingRunId ? throw new InvalidOperationException(Secret) : inner.GetAsync(runId, ct);

    public Task<(RunRecord Run, bool Created)> CreateAsync(RunRecord run, IReadOnlyList<StepRecord> steps, CancellationToken ct) => inner.CreateAsync(run, steps, ct);

    public Task<IReadOnlyList<StepRecord>> GetStepsAsync(string runId, CancellationToken ct) => inner.GetStepsAsync(runId, ct);

    public Task<IReadOnlyList<RunRecord>> ListAsync(string? pipeline, int limit, CancellationToken ct) => inner.ListAsync(pipeline, limit, ct);

    public Task<IReadOnlyList<RunRecord>> ListByStatusAsync(string pipeline, IReadOnlyCollection<RunStatus> statuses, CancellationToken ct) => inner.ListByStatusAsync(pipeline, statuses, ct);

    public Task UpdateAsync(RunRecord run, CancellationToken ct) => inner.UpdateAsync(run, ct);

    public Task UpdateStepAsync(StepRecord step, CancellationToken ct) => inner.UpdateStepAsync(step, ct);

    public Task<bool> TryClaimAsync(string runId, string owner, DateTimeOffset now, TimeSpan staleAfter, CancellationToken ct) => inner.TryClaimAsync(runId, owner, now, staleAfter, ct);

    public Task<RunClaim> ClaimAsync(string runId, string owner, DateTimeOffset now, TimeSpan staleAfter, CancellationToken ct) =>
        runId == ServeHarness.ExplodingRunId ? throw new InvalidOperationException(Secret) : inner.ClaimAsync(runId, owner, now, staleAfter, ct);

    public Task UpdateManyAsync(IReadOnlyList<StepRecord> steps, RunRecord? run, CancellationToken ct) => inner.UpdateManyAsync(steps, run, ct);

    public Task<bool> HeartbeatAsync(string runId, string owner, DateTimeOffset now, CancellationToken ct) => inner.HeartbeatAsync(runId, owner, now, ct);
}
