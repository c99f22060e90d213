namespace MlOpsOrchestrator.Runs;

/// <summary>Which run statuses are final: one definition for cancelling, claiming and garbage collection.</summary>
public static class RunStatuses
{
    /// <summary>Succeeded, failed or cancelled: nothing executes, resumes or cancels the run any more.</summary>
    public static IReadOnlyList<RunStatus> Ended { get; } = [RunStatus.Succeeded, RunStatus.Failed, RunStatus.Cancelled];

    /// <summary>Every other status: the run may still execute (an interrupted one can be resumed).</summary>
    public static IReadOnlyList<RunStatus> NotEnded { get; } = [RunStatus.Pending, RunStatus.Running, RunStatus.AwaitingApproval, RunStatus.Interrupted];

    public static bool HasEnded(this RunStatus status) => status is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled;
}
