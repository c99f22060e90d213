using Quartz;

namespace MlOpsOrchestrator.Scheduling.Quartz;

/// <summary>
/// Hears Quartz say that something went wrong in its store (a failed acquisition or fire while the database was
/// unreachable, a trigger parked in <c>ERROR</c>) and remembers when, so the <see cref="TriggerSynchronizer"/> checks
/// every trigger at each rescan for a while afterwards and resets one left in <c>ERROR</c> as soon as the database
/// answers again, instead of at its next periodic full check.
/// </summary>
internal sealed class SchedulerErrorWatch(TimeProvider time) : ISchedulerListener
{
    private long _lastErrorTicks;

    /// <summary>Raised on every error notification; the synchronizer wakes up to check.</summary>
    public event Action? Noticed;

    /// <summary>When Quartz last reported an error; null if it never did.</summary>
    public DateTimeOffset? LastError =>
        Interlocked.Read(ref _lastErrorTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public ValueTask SchedulerError(IScheduler scheduler, SchedulerErrorContext errorContext, CancellationToken cancellationToken = default) => Notice();

    public ValueTask TriggerInError(IScheduler scheduler, TriggerKey triggerKey, CancellationToken cancellationToken = default) => Notice();

    public ValueTask TriggersInError(IScheduler scheduler, JobKey jobKey, CancellationToken cancellationToken = default) => Notice();

    private ValueTask Notice()
    {
        Interlocked.Exchange(ref _lastErrorTicks, time.GetUtcNow().UtcTicks);
        Noticed?.Invoke();
        return ValueTask.CompletedTask;
    }
}
