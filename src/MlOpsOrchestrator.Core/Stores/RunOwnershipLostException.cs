namespace MlOpsOrchestrator.Stores;

/// <summary>
/// A commit to a run whose owner is not the one the writer expected: an executor stalled past the heartbeat's limit
/// and another took the run over, or a decision from outside met an executor that claimed the run meanwhile. Nothing
/// was written; the writer must stop (an executor) or read the run again (a decision).
/// </summary>
public sealed class RunOwnershipLostException(string runId, string? owner, string? current)
    : InvalidOperationException(owner is null
        ? $"run {runId} was claimed by {current} meanwhile; nothing was written, read the run again"
        : $"run {runId} is no longer owned by {owner} (now {current ?? "nobody"}); another executor took it over, nothing was written")
{
    public string RunId { get; } = runId;
}
