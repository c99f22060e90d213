using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Execution;

/// <summary>
/// Decides, from the persisted step states, which steps of a run can execute now. Steps whose needs failed or were
/// skipped are marked skipped; a manual step whose needs succeeded waits for an approval.
/// </summary>
internal sealed class StepWalker(RunRecord run, PipelineDefinition definition, IRunStore runs, TimeProvider time)
{
    private static readonly StepStatus[] Blocking = [StepStatus.Failed, StepStatus.Cancelled];

    private readonly StepGraph _graph = run.StepSubset is { } subset ? definition.Graph().Subset(subset) : definition.Graph();
    private Dictionary<string, StepRecord> _records = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<StepRecord>> StepsAsync(CancellationToken ct) => await runs.GetStepsAsync(run.RunId, ct);

    /// <summary>The steps ready to execute now; empty when nothing more can run.</summary>
    public async Task<IReadOnlyList<StepSpec>> NextAsync(CancellationToken ct)
    {
        _records = (await runs.GetStepsAsync(run.RunId, ct)).ToDictionary(s => s.StepId, StringComparer.Ordinal);
        var ready = new List<StepSpec>();
        foreach (var step in _graph.Order())
        {
            if (!_records.TryGetValue(step.Id, out var record) || record.Status is not (StepStatus.Pending or StepStatus.Running or StepStatus.Interrupted))
            {
                continue;
            }

            var needs = step.Needs.Select(n => _records[n]).ToList();
            if (needs.FirstOrDefault(n => Blocking.Contains(n.Status)) is { } failed)
            {
                await Update(record with { Status = StepStatus.Skipped, Error = $"not run: upstream step '{failed.StepId}' {StatusNames.Of(failed.Status)}" }, ct);
            }
            else if (needs.FirstOrDefault(n => n.Status == StepStatus.Skipped) is { } skipped)
            {
                await Update(record with { Status = StepStatus.Skipped, Error = $"not run: upstream step '{skipped.StepId}' was skipped" }, ct);
            }
            else if (needs.All(n => n.Status == StepStatus.Succeeded))
            {
                if (!step.Automated && record.DecidedBy is null)
                {
                    await Update(record with { Status = StepStatus.AwaitingApproval }, ct);
                }
                else
                {
                    ready.Add(step);
                }
            }
        }

        return ready;
    }

    public IReadOnlyList<StepContext> Contexts(
        IReadOnlyList<StepSpec> ready, IModelRegistry registry, IWatermarkStore watermarks, IArtifactStore artifacts, ILogger logger, IProgress<RunProgress>? progress) =>
        ready.Select(step => new StepContext
        {
            Run = run,
            Definition = definition,
            Step = step,
            Steps = _records,
            Artifacts = artifacts,
            Registry = registry,
            Watermarks = watermarks,
            Logger = logger,
            Time = time,
            Progress = message => progress?.Report(new RunProgress(run.RunId, step.Id, message)),
        }).ToList();

    private async Task Update(StepRecord record, CancellationToken ct)
    {
        _records[record.StepId] = record;
        await runs.UpdateStepAsync(record, ct);
    }
}
