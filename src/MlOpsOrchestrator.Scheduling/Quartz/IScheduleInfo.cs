namespace MlOpsOrchestrator.Scheduling.Quartz;

/// <summary>
/// What Quartz will really do with a pipeline's cron trigger, read from the live Quartz triggers rather than computed
/// from the YAML, so the dashboard and API show the schedule as it stands (including a definition still waiting to
/// be synchronized, or a last valid version kept while the file is broken).
/// </summary>
public interface IScheduleInfo
{
    /// <summary>Whether Quartz holds a trigger for it. <c>on: drift</c> triggers are never scheduled: a retrain step fires them.</summary>
    Task<bool> IsScheduledAsync(string pipeline, string trigger, CancellationToken ct);

    /// <summary>The next <paramref name="count"/> fire times (UTC), empty when the trigger is not scheduled.</summary>
    Task<IReadOnlyList<DateTimeOffset>> NextFireTimesAsync(string pipeline, string trigger, int count, CancellationToken ct);
}
