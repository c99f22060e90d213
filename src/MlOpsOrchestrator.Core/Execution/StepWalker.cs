using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Execution;

/// <summary>
/// Decides, from the run's step records as they stand in memory (read once, when the run was claimed), which steps
/// can execute now, so deciding costs no read. Steps whose needs failed or were skipped are marked skipped; a manual
/// step whose needs succeeded waits for an approval. Used from the executor's loop only, never concurrently.
/// </summary>
internal sealed class StepWalker
{
    private static readonly StepStatus[] Blocking = [StepStatus.Failed, StepStatus.Cancelled];

    private readonly RunRecord _run;
    private readonly PipelineDefinition _definition;
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<StepSpec> _order;

    private readonly RunSteps _records;
    private readonly HashSet<string> _executing = new(StringComparer.Ordinal);

    public StepWalker(RunRecord run, PipelineDefinition definition, RunSteps steps, TimeProvider time)
    {
        _run = run;
        _definition = definition;
        _time = time;
        _order = (run.StepSubset is { } subset ? definition.Graph().Subset(subset) : definition.Graph()).Order();
        _records = steps;
    }

    /// <summary>The steps ready to execute now (none that is executing); empty when nothing more can start now.</summary>
    public IReadOnlyList<StepSpec> Next()
    {
        var ready = new List<StepSpec>();
        foreach (var step in _order)
        {
            if (_executing.Contains(step.Id) || !_records.TryGet(step.Id, out var record)
                || record.Status is not (StepStatus.Pending or StepStatus.Running or StepStatus.Interrupted))
            {
                continue;
            }

            var needs = step.Needs.Select(n => _records[n]).ToList();
            if (needs.FirstOrDefault(n => Blocking.Contains(n.Status)) is { } failed)
            {
                Set(record with { Status = StepStatus.Skipped, Error = $"not run: upstream step '{failed.StepId}' {StatusNames.Of(failed.Status)}" });
            }
            else if (needs.FirstOrDefault(n => n.Status == StepStatus.Skipped) is { } skipped)
            {
                Set(record with { Status = StepStatus.Skipped, Error = $"not run: upstream step '{skipped.StepId}' was skipped" });
            }
            else if (needs.All(n => n.Status == StepStatus.Succeeded))
            {
                if (!step.Automated && record.DecidedBy is null)
                {
                    Set(record with { Status = StepStatus.AwaitingApproval });
                }
                else
                {
                    ready.Add(step);
                }
            }
        }

        return ready;
    }

    /// <summary>Marks the step running (one more attempt) and returns what its executor gets.</summary>
    public StepContext Start(StepSpec step, ILogger logger, IProgress<RunProgress>? progress)
    {
        var record = _records[step.Id];
        Set(record with { Status = StepStatus.Running, Attempts = record.Attempts + 1, StartedAt = _time.GetUtcNow(), FinishedAt = null, Error = null });
        _executing.Add(step.Id);
        return new StepContext
        {
            Run = _run,
            Definition = _definition,
            Step = step,

            Steps = _records.Snapshot(),
            Logger = logger,
            Progress = message => progress?.Report(new RunProgress(_run.RunId, step.Id, message)),
        };
    }

    /// <summary>Takes a started step's final record.</summary>
    public void Finish(StepRecord record)
    {
        _executing.Remove(record.StepId);
        Set(record);
    }

    private void Set(StepRecord record) => _records.Set(record);
}
