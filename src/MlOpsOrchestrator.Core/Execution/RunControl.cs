using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Stores;
using MlOpsOrchestrator.Text;

namespace MlOpsOrchestrator.Execution;

/// <summary>
/// Decisions on a run from outside its executor: approve or reject a waiting manual step, and prepare an interrupted
/// or failed run to resume after its last finished step. Bad requests throw <see cref="RunControlException"/>. It only
/// records: front ends go through <see cref="IRunService"/>, which also checks the request and dispatches the run. Each
/// decision is committed only while the run's owner is still the one read with it (nobody, or a dead executor), so an
/// executor that claimed the run meanwhile is never overwritten; the decision is refused then.
/// </summary>
public sealed class RunControl(IRunRepository runs, IRunExecutionStore execution, TimeProvider time)
{
    public async Task<RunRecord> ApproveAsync(string runId, string stepId, string by, CancellationToken ct)
    {
        var (run, step) = await Waiting(runId, stepId, ct);
        run = run with { Status = RunStatus.Pending };
        await Commit(run.Owner, [step with { Status = StepStatus.Pending, DecidedBy = by, Reason = null }], run, ct);
        return run;
    }

    public async Task<RunRecord> RejectAsync(string runId, string stepId, string by, string reason, CancellationToken ct)
    {
        var (run, step) = await Waiting(runId, stepId, ct);
        run = run with { Status = RunStatus.Pending };
        await Commit(run.Owner, [step with { Status = StepStatus.Cancelled, DecidedBy = by, Reason = reason, FinishedAt = time.GetUtcNow() }], run, ct);
        return run;
    }

    /// <summary>
    /// Makes an interrupted or failed run runnable again: finished steps stay finished, the step that failed or was
    /// cut off and the steps skipped because of it go back to pending.
    /// </summary>
    public async Task<RunRecord> PrepareResumeAsync(string runId, CancellationToken ct)
    {
        var run = await Get(runId, ct);
        var effective = RunLiveness.Effective(run, time.GetUtcNow());
        if (effective.Status is not (RunStatus.Interrupted or RunStatus.Failed))
        {
            throw new RunControlException($"run '{runId}' is {StatusNames.Of(effective.Status)}; only an interrupted or failed run can be resumed");
        }

        var again = (await runs.GetStepsAsync(runId, ct))
            .Where(step => step.Status is StepStatus.Failed or StepStatus.Running or StepStatus.Interrupted
                || (step.Status == StepStatus.Skipped && step.Error?.StartsWith("not run: upstream", StringComparison.Ordinal) == true))
            .Select(step => step with { Status = StepStatus.Pending, Error = null, FinishedAt = null })
            .ToList();
        var owner = run.Owner;
        run = run with { Status = RunStatus.Pending, Error = null, FinishedAt = null, Owner = null, HeartbeatAt = null };
        await Commit(owner, again, run, ct);
        return run;
    }

    private async Task Commit(string? owner, IReadOnlyList<StepRecord> steps, RunRecord run, CancellationToken ct)
    {
        try
        {
            await execution.CommitAsync(owner, steps, run, ct);
        }
        catch (RunOwnershipLostException)
        {
            throw new RunControlException($"run '{run.RunId}' was taken up by an executor while this was being decided; nothing was changed: look at the run again ('mlops runs') and decide then");
        }
    }

    private async Task<RunRecord> Get(string runId, CancellationToken ct) =>
        await runs.GetAsync(runId, ct) ?? throw new RunControlException($"unknown run '{runId}'; 'mlops runs' lists the runs", notFound: true);

    private async Task<(RunRecord Run, StepRecord Step)> Waiting(string runId, string stepId, CancellationToken ct)
    {
        var run = await Get(runId, ct);
        var steps = await runs.GetStepsAsync(runId, ct);
        var step = steps.FirstOrDefault(s => s.StepId == stepId)
            ?? throw new RunControlException($"run '{runId}' has no step '{Echo.Value(stepId)}'; its steps: {Echo.List(steps.Select(s => s.StepId))}", notFound: true);
        if (step.Status != StepStatus.AwaitingApproval)
        {
            var waiting = steps.Where(s => s.Status == StepStatus.AwaitingApproval).Select(s => s.StepId).ToList();
            throw new RunControlException($"step '{stepId}' of run '{runId}' is {StatusNames.Of(step.Status)}, not awaiting approval{(waiting.Count > 0 ? $"; waiting: {Echo.List(waiting)}" : "")}");
        }

        return (run, step);
    }
}
