using Quartz;

namespace MlOpsOrchestrator.Scheduling.Quartz;

/// <summary>Reads the triggers of group <c>mlops</c> from the scheduler (in memory, or the shared store in a cluster).</summary>
internal sealed class QuartzScheduleInfo(ISchedulerFactory schedulers) : IScheduleInfo
{
    /// <summary>Enough for any dashboard; Quartz itself refuses very large counts.</summary>
    private const int MaxCount = 100;

    public async Task<bool> IsScheduledAsync(string pipeline, string trigger, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(pipeline);
        ArgumentException.ThrowIfNullOrEmpty(trigger);
        var scheduler = await schedulers.GetScheduler(ct);
        return await scheduler.Exists(PipelineJobKeys.Trigger(pipeline, trigger), ct);
    }

    /// <remarks>Quartz answers null for a trigger it does not hold.</remarks>
    public async Task<IReadOnlyList<DateTimeOffset>> NextFireTimesAsync(string pipeline, string trigger, int count, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(pipeline);
        ArgumentException.ThrowIfNullOrEmpty(trigger);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var scheduler = await schedulers.GetScheduler(ct);
        return await scheduler.GetUpcomingFireTimes(PipelineJobKeys.Trigger(pipeline, trigger), Math.Min(count, MaxCount), ct) ?? [];
    }
}
