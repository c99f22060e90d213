namespace MlOpsOrchestrator.Runs;

/// <summary>The state of one step of a run; <see cref="Skipped"/> when an upstream step failed or was rejected, or the trigger's subset left it out.</summary>
public enum StepStatus
{
    Pending,
    Running,
    Succeeded,
    Failed,
    AwaitingApproval,
    Cancelled,
    Skipped,
    Interrupted,
}
