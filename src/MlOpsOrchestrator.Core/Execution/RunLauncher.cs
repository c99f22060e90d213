using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Execution;

/// <summary>
/// Creates the run record (trigger, mode, level, pipeline version, YAML) and its step records in execution order.
/// Steps a trigger's <c>steps:</c> subset leaves out are recorded as skipped, so the run shows what did not run.
/// </summary>
public sealed class RunLauncher(IRunRepository runs, TimeProvider time)
{
    public async Task<(RunRecord Run, bool Created)> LaunchAsync(RunRequest request, CancellationToken ct)
    {
        var spec = request.Definition.Spec;
        var trigger = spec.Trigger(request.Trigger);
        var now = time.GetUtcNow();
        var run = new RunRecord
        {
            RunId = NewRunId(spec.Name, now),
            Pipeline = spec.Name,
            PipelineVersion = request.Definition.Version,
            PipelineFile = request.Definition.SourceFile,
            PipelineYaml = request.Yaml,
            Trigger = request.Trigger,
            Mode = request.Mode ?? trigger?.Mode ?? Specs.RunMode.Full,
            Level = request.Definition.Maturity.Level,
            LevelReasons = request.Definition.Maturity.Blockers,
            Parameters = request.Parameters,
            StepSubset = trigger?.Steps,
            CreatedAt = now,
            IdempotencyKey = request.IdempotencyKey,
            RequestedBy = request.RequestedBy,
        };

        var subset = trigger?.Steps;
        var steps = request.Definition.Graph().Order().Select(s => new StepRecord
        {
            RunId = run.RunId,
            StepId = s.Id,
            Kind = PlanBuilder.KindName(s.Kind),
            Status = subset is null || subset.Contains(s.Id) ? StepStatus.Pending : StepStatus.Skipped,
            Error = subset is null || subset.Contains(s.Id) ? null : $"not in the steps of trigger '{request.Trigger}'",
        }).ToList();
        return await runs.CreateAsync(run, steps, ct);
    }

    /// <summary>Sortable and readable: <c>bike-rentals-20261128-143012-7f3a09c1</c>.</summary>
    internal static string NewRunId(string pipeline, DateTimeOffset now) =>
        $"{pipeline}-{now.UtcDateTime:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..8]}";
}
