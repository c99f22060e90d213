namespace MlOpsOrchestrator.Runs;

/// <summary>The state of a run (spec JSON shapes: pending, running, succeeded, failed, awaiting_approval, cancelled, interrupted).</summary>
public enum RunStatus
{
    Pending,
    Running,
    Succeeded,
    Failed,
    AwaitingApproval,
    Cancelled,

    /// <summary>The process executing it died; <c>mlops resume</c> continues after the last finished step.</summary>
    Interrupted,
}
