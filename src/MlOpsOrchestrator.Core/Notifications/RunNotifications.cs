using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Notifications;

/// <summary>
/// The events of a run, read from what its steps decided (their typed results) and how it ended: the one place that
/// says which decision is which event, called by the run executor whatever started the run.
/// </summary>
public static class RunNotifications
{
    /// <summary>The event a finished (or now waiting) step is, or null when it is none worth telling.</summary>
    public static Notification? OfStep(RunRecord run, StepRecord step, DateTimeOffset at)
    {
        Notification Make(NotifyEvent e, string text, string? model = null) => new()
        {
            Event = e, Pipeline = run.Pipeline, RunId = run.RunId, Trigger = run.Trigger, StepId = step.StepId, Text = text, Model = model, At = at,
        };

        return step switch
        {
            { Status: StepStatus.AwaitingApproval } =>
                Make(NotifyEvent.WaitingForApproval, $"{run.Pipeline}: run {run.RunId} waits for approval of step '{step.StepId}' (approve or reject it on the dashboard, or `mlops approve {run.RunId} {step.StepId}`)"),
            { Status: StepStatus.Failed, Result: EvaluateResult { Rejected: true } } =>
                Make(NotifyEvent.GateFailed, $"{run.Pipeline}: the candidate of run {run.RunId} failed its gates at step '{step.StepId}': {step.Error}"),
            { Status: StepStatus.Succeeded, Result: EvaluateResult { HeldBack: { } why } } =>
                Make(NotifyEvent.GateFailed, $"{run.Pipeline}: the candidate of run {run.RunId} is held back at step '{step.StepId}': {why}"),
            { Status: StepStatus.Succeeded, Result: MonitorResult { Verdict: not MonitorVerdict.Ok } monitor } =>
                Make(NotifyEvent.DriftFound, $"{run.Pipeline}: step '{step.StepId}' of run {run.RunId} found {(monitor.Verdict == MonitorVerdict.Drift ? "drift" : "a performance drop")} on model version {monitor.ModelVersion}: {monitor.Note}"),
            { Status: StepStatus.Succeeded, Result: DeployResult { HeldBack: null, Deployed: var model } } =>
                Make(NotifyEvent.ModelDeployed, $"{run.Pipeline}: model {model.Name} version {model.Version} deployed to production by run {run.RunId}", $"{model.Name} version {model.Version}"),
            _ => null,
        };
    }

    /// <summary>
    /// The skew a finished monitor step found, or null: an event of its own beside <see cref="OfStep"/>'s, because skew
    /// never changes the verdict and is for whoever computes the features, not whoever retrains the model.
    /// </summary>
    public static Notification? OfSkew(RunRecord run, StepRecord step, DateTimeOffset at) =>
        step is { Status: StepStatus.Succeeded, Result: MonitorResult { SkewedFeatures.Count: > 0 } monitor }
            ? new Notification
            {
                Event = NotifyEvent.SkewFound, Pipeline = run.Pipeline, RunId = run.RunId, Trigger = run.Trigger, StepId = step.StepId, At = at,
                Text = $"{run.Pipeline}: step '{step.StepId}' of run {run.RunId} found training/serving skew on model version {monitor.ModelVersion} ({string.Join(", ", monitor.SkewedFeatures)}): {monitor.Note}",
            }
            : null;

    /// <summary>The event of a run that ended <paramref name="run"/>'s way, or null when its end is none worth telling.</summary>
    public static Notification? OfEnd(RunRecord run, DateTimeOffset at) => run.Status == RunStatus.Failed
        ? new Notification
        {
            Event = NotifyEvent.RunFailed, Pipeline = run.Pipeline, RunId = run.RunId, Trigger = run.Trigger, At = at,
            Text = $"{run.Pipeline}: run {run.RunId} ({run.Trigger}) failed: {run.Error}",
        }
        : null;
}
