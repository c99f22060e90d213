namespace MlOpsOrchestrator.Stores;

/// <summary>
/// An executor wrote to a run it no longer owns: it stalled past the heartbeat's limit and another executor took the
/// run over. Nothing was written; the executor must stop, as the run is someone else's now.
/// </summary>
public sealed class RunOwnershipLostException(string runId, string owner, string? current)
    : InvalidOperationException($"run {runId} is no longer owned by {owner} (now {current ?? "nobody"}); another executor took it over, nothing was written")
{
    public string RunId { get; } = runId;
}
