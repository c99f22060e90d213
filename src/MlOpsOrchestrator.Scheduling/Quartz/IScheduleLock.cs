namespace MlOpsOrchestrator.Scheduling.Quartz;

/// <summary>
/// Lets one node at a time bring the shared Quartz store in line with the folder, so a node reads what the previous
/// one wrote: without it, two nodes that see the same edit both replace the trigger, and a replacement landing between
/// another node's acquisition and its fire makes that tick fire twice (harmless, launches are idempotent, but noisy).
/// </summary>
internal interface IScheduleLock
{
    Task<IAsyncDisposable> AcquireAsync(CancellationToken ct);
}
