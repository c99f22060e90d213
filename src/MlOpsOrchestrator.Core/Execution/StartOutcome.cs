namespace MlOpsOrchestrator.Execution;

/// <summary>The three things starting a run can do.</summary>
public enum StartOutcome
{
    /// <summary>A new run was created and queued.</summary>
    Queued,

    /// <summary>A run with the same idempotency key exists (a cluster fail-over fired the same tick again); nothing new.</summary>
    AlreadyLaunched,

    /// <summary><c>concurrency: skip</c> and a run of the pipeline is active: recorded as a cancelled run saying so.</summary>
    Skipped,
}
