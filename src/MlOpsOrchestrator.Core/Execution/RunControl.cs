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
    public Task<RunRecord> PrepareResumeAsync(string runId, CancellationToken ct) => PrepareResumeAsync(runId, null, ct);

    /// <summary>As <see cref="PrepareResumeAsync(string, CancellationToken)"/>, recording who resumes it (<see cref="RunRecord.ResumedBy"/>).</summary>
    public async Task<RunRecord> PrepareResumeAsync(string runId, string? by, CancellationToken ct)
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
        run = run with { Status = RunStatus.Pending, Error = null, FinishedAt = null, Owner = null, HeartbeatAt = null, ResumedBy = by ?? run.ResumedBy };
        await Commit(owner, again, run, ct);
        return run;
    }

    /// <summary>
    /// Retries a failed or cancelled run as a new run linked to it (<see cref="RunRecord.RetryOf"/>), as Dagster's
    /// "re-execute from failure": the same pipeline version (the YAML stored with the run), trigger, mode and
    /// parameters; the steps that succeeded are carried over with their results and artifacts, the rest run again. The
    /// original run keeps its history. An interrupted run is resumed instead (<see cref="PrepareResumeAsync(string, string?, CancellationToken)"/>);
    /// other runs are refused. The new run is created pending and not dispatched.
    /// </summary>
    public async Task<RunRecord> PrepareRetryAsync(string runId, string by, CancellationToken ct)
    {
        var run = await Get(runId, ct);
        var effective = RunLiveness.Effective(run, time.GetUtcNow());
        if (effective.Status is not (RunStatus.Failed or RunStatus.Cancelled))
        {
            var hint = effective.Status == RunStatus.Interrupted ? "; an interrupted run is resumed ('mlops resume')" : "";
            throw new RunControlException($"run '{runId}' is {StatusNames.Of(effective.Status)}; only a failed or cancelled run can be retried{hint}");
        }

        var now = time.GetUtcNow();
        var retry = run with
        {
            RunId = RunLauncher.NewRunId(run.Pipeline, now),
            Status = RunStatus.Pending,
            CreatedAt = now,
            StartedAt = null,
            FinishedAt = null,
            Error = null,
            Model = null,
            Owner = null,
            HeartbeatAt = null,
            IdempotencyKey = null,
            RequestedBy = by,
            RetryOf = run.RunId,
            ResumedBy = null,
            CancelRequest = null,
        };
        var steps = (await runs.GetStepsAsync(runId, ct))
            .Select(step => step.Status == StepStatus.Succeeded || IsOutsideSubset(run, step)
                ? step with { RunId = retry.RunId }
                : new StepRecord { RunId = retry.RunId, StepId = step.StepId, Kind = step.Kind, Status = StepStatus.Pending })
            .ToList();
        return (await runs.CreateAsync(retry, steps, ct)).Run;
    }

    private static bool IsOutsideSubset(RunRecord run, StepRecord step) =>
        step.Status == StepStatus.Skipped && run.StepSubset is { } subset && !subset.Contains(step.StepId);

    /// <summary>
    /// Cancels a run that has not ended. The request is recorded first, whoever owns the run; a run a live executor
    /// holds is then ended by that executor (its executing steps stop at their next check of their token, see
    /// <see cref="CancelWatch"/>), and the run is returned with the request, still running. A run nobody executes
    /// (pending, queued, awaiting approval, interrupted) is ended here: <c>cancelled</c>, its unfinished steps skipped,
    /// the one that was cut off cancelled. An ended run is refused.
    /// </summary>
    public async Task<RunRecord> CancelAsync(string runId, string by, string? reason, CancellationToken ct)
    {
        var run = await Get(runId, ct);
        if (run.Status.HasEnded())
        {
            throw Ended(run);
        }

        var now = time.GetUtcNow();
        run = await execution.RequestCancelAsync(runId, new CancelRequest(by, reason, now), ct) ?? throw Unknown(runId);
        if (run.Status.HasEnded())
        {
            throw Ended(run);
        }

        if (run.CancelRequest is not { } request || !RunLiveness.IsDead(run, now))
        {
            return run; // Its executor ends it.
        }

        var error = request.Describe();
        var steps = (await runs.GetStepsAsync(runId, ct))
            .Where(step => step.Status is StepStatus.Pending or StepStatus.Running or StepStatus.Interrupted or StepStatus.AwaitingApproval)
            .Select(step => step.Status is StepStatus.Running or StepStatus.Interrupted
                ? step with { Status = StepStatus.Cancelled, Error = error, FinishedAt = now }
                : step with { Status = StepStatus.Skipped, Error = $"not run: the run was {error}" })
            .ToList();
        var ended = run with { Status = RunStatus.Cancelled, Error = error, FinishedAt = now, Owner = null, HeartbeatAt = null };
        try
        {
            await execution.CommitAsync(run.Owner, steps, ended, ct);
            return ended;
        }
        catch (RunOwnershipLostException)
        {
            // An executor claimed it meanwhile: it finds the request with its claim and ends the run itself.
            return await Get(runId, ct);
        }
    }

    private static RunControlException Ended(RunRecord run) =>
        new($"run '{run.RunId}' has already ended {StatusNames.Of(run.Status)}; only a running or waiting run can be cancelled");

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
        await runs.GetAsync(runId, ct) ?? throw Unknown(runId);

    private static RunControlException Unknown(string runId) => new($"unknown run '{runId}'; 'mlops runs' lists the runs", notFound: true);

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
