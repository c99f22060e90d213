using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Scheduling.Hangfire;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>
/// What the run page shows beyond the run's own records: the definition it executed (gates, drift thresholds, the
/// step graph), the drift scores its monitor steps recorded, the run that started it, the Hangfire jobs that executed
/// it and its log lines. Each part is optional: a host without the store behind it shows the rest.
/// </summary>
internal sealed record RunInsight(
    PipelineDefinition? Definition,
    IReadOnlyList<EvaluationPoint> Drift,
    string? StartedBy,
    IReadOnlyList<string> Jobs,
    IReadOnlyList<RunLogs.Line> Logs)
{
    public static readonly RunInsight None = new(null, [], null, [], []);

    public static async Task<RunInsight> LoadAsync(DashboardServices services, RunRecord run, IReadOnlyList<StepRecord> steps, CancellationToken ct)
    {
        var definition = services.Definitions?.Load(run) is { Succeeded: true, Definition: { } loaded } ? loaded : null;
        var drift = await DriftAsync(services.Evaluations, run, steps, ct);
        var jobs = services.Jobs is { } storage ? RunJobs.Of(storage, run.RunId) : [];
        var until = run.FinishedAt ?? services.Time.GetUtcNow();
        var logs = services.Logs is { } files ? await files.ReadAsync(run.RunId, run.CreatedAt, until, ct) : [];
        return new RunInsight(definition, drift, RetrainKey.StartedBy(run), jobs, logs);
    }

    /// <summary>The drift scores of this run's monitor steps, from the monitoring store.</summary>
    private static async Task<IReadOnlyList<EvaluationPoint>> DriftAsync(IEvaluationStore? store, RunRecord run, IReadOnlyList<StepRecord> steps, CancellationToken ct)
    {
        if (store is null || !steps.Any(s => s.Result is MonitorResult))
        {
            return [];
        }

        var points = await store.ReadAsync(run.Pipeline, "drift.", run.CreatedAt.AddMinutes(-1), 100_000, ct);
        return points.Where(p => p.RunId == run.RunId).ToList();
    }
}
