using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Security;
using MlOpsOrchestrator.Text;

namespace MlOpsOrchestrator.Execution;

/// <summary>
/// Validates, records through <see cref="RunStarter"/> and <see cref="RunControl"/>, and dispatches: no front end
/// queues or executes a decision on its own. Each request is logged with the run's <c>RunId</c> and <c>Pipeline</c>
/// and who asked; not with a <c>StepId</c>, which marks the events of a step's execution.
/// </summary>
internal sealed class RunService(RunStarter starter, RunControl control, IRunDispatcher dispatcher, ILogger<IRunService> logger) : IRunService
{
    public async Task<StartResult> StartAsync(RunRequest request, string by, CancellationToken ct)
    {
        var spec = request.Definition.Spec;
        if (request.Trigger is not (RunRequest.ManualTrigger or RunRequest.ApiTrigger) && spec.Trigger(request.Trigger) is null)
        {
            var ids = spec.Triggers.Select(t => t.Id).ToList();
            throw new RunControlException(
                $"pipeline '{request.Definition.Name}' has no trigger '{Echo.Value(request.Trigger)}'{(ids.Count > 0 ? $"; its triggers: {Echo.List(ids)}" : "")}",
                invalid: true);
        }

        foreach (var (name, value) in request.Parameters)
        {
            if (InputText.NameProblem(name) is { } nameProblem)
            {
                throw new RunControlException($"parameter name '{name}' {nameProblem}", invalid: true, parameter: name);
            }

            if (InputText.TextProblem(value, InputText.MaxParameterValueLength) is { } valueProblem)
            {
                throw new RunControlException($"parameter '{name}' {valueProblem}", invalid: true, parameter: name);
            }
        }

        var result = await starter.StartAsync(request with { RequestedBy = by }, ct);
        logger.LogInformation("Run {RunId} of {Pipeline} requested by {By} ({Trigger}): {Outcome}", result.Run.RunId, result.Run.Pipeline, by, request.Trigger, result.Outcome);
        return result;
    }

    public async Task<RunRecord> ApproveAsync(string runId, string stepId, string by, CancellationToken ct)
    {
        var run = await control.ApproveAsync(runId, stepId, by, ct);
        logger.LogInformation("Run {RunId} of {Pipeline}: step {Step} approved by {By}", run.RunId, run.Pipeline, stepId, by);
        return await DispatchAsync(run, ct);
    }

    public async Task<RunRecord> RejectAsync(string runId, string stepId, string by, string? reason, CancellationToken ct)
    {
        var text = reason?.Trim() ?? "";
        if (text.Length == 0)
        {
            throw new RunControlException(
                $"rejecting step '{Echo.Value(stepId)}' of run '{Echo.Value(runId)}' needs a reason (at most {InputText.MaxReasonLength} characters)", invalid: true);
        }

        if (InputText.TextProblem(text, InputText.MaxReasonLength) is { } problem)
        {
            throw new RunControlException($"the reason {problem}", invalid: true);
        }

        var run = await control.RejectAsync(runId, stepId, by, text, ct);
        logger.LogInformation("Run {RunId} of {Pipeline}: step {Step} rejected by {By}", run.RunId, run.Pipeline, stepId, by);
        return await DispatchAsync(run, ct);
    }

    public async Task<RunRecord> ResumeAsync(string runId, string by, CancellationToken ct)
    {
        var run = await control.PrepareResumeAsync(runId, by, ct);
        logger.LogInformation("Run {RunId} of {Pipeline} resumed by {By}", run.RunId, run.Pipeline, by);
        return await DispatchAsync(run, ct);
    }

    public async Task<RunRecord> CancelAsync(string runId, string by, string? reason, CancellationToken ct)
    {
        var text = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (text is not null && InputText.TextProblem(text, InputText.MaxReasonLength) is { } problem)
        {
            throw new RunControlException($"the reason {problem}", invalid: true, parameter: "reason");
        }

        var run = await control.CancelAsync(runId, by, text, ct);
        logger.LogWarning("Run {RunId} of {Pipeline}: cancel requested by {By}{Reason}; it is {Status}",
            run.RunId, run.Pipeline, by, text is null ? "" : $": {text}", StatusNames.Of(run.Status));
        return run;
    }

    public async Task<RunRecord> RetryAsync(string runId, string by, CancellationToken ct)
    {
        var run = await control.PrepareRetryAsync(runId, by, ct);
        logger.LogInformation("Run {RunId} of {Pipeline} retries run {RetryOf}, requested by {By}", run.RunId, run.Pipeline, runId, by);
        return await DispatchAsync(run, ct);
    }

    private async Task<RunRecord> DispatchAsync(RunRecord run, CancellationToken ct)
    {
        await dispatcher.EnqueueAsync(run, ct);
        return run;
    }
}
