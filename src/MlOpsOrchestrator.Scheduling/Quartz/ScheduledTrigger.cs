using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Specs;
using Quartz;

namespace MlOpsOrchestrator.Scheduling.Quartz;

/// <summary>
/// One YAML <c>cron</c> trigger as Quartz should hold it: a pipeline's, or (with <see cref="View"/>) a feature view's
/// <c>online.refresh</c>, named <c>feature-view:VIEW/online-refresh</c> (a pipeline name holds no colon).
/// </summary>
internal sealed record ScheduledTrigger(string Pipeline, string TriggerId, string Cron, string TimeZone, MisfirePolicy Misfire, string Version, string? View = null)
{
    public const string RefreshTrigger = "online-refresh";

    public JobKey JobKey => PipelineJobKeys.Job(Pipeline, TriggerId);

    /// <summary>
    /// The cron triggers of every pipeline that has a valid definition (a broken file keeps its last valid one).
    /// <c>on: drift</c> triggers are deliberately absent: nothing in Quartz fires them. A pipeline's own <c>retrain</c>
    /// step starts the run through <c>RunStarter</c> with that trigger id when its monitor reports drift, so the run
    /// is still recorded under the trigger's name and mode.
    /// </summary>
    public static IReadOnlyList<ScheduledTrigger> From(IEnumerable<CatalogEntry> entries) =>
        entries
            .Select(e => e.Definition)
            .OfType<PipelineDefinition>()
            .SelectMany(d => d.Spec.Triggers
                .Where(t => t.Cron is not null)
                .Select(t => new ScheduledTrigger(d.Name, t.Id, t.Cron!, d.Spec.Timezone, t.Misfire, d.Version)))
            .Concat(RefreshTriggers(entries))
            .ToList();

    /// <summary>
    /// The online refresh of every view a loaded pipeline uses that has <c>online.refresh</c>, in UTC; a missed refresh
    /// is skipped (the next one reads everything new since the watermark anyway).
    /// </summary>
    private static IEnumerable<ScheduledTrigger> RefreshTriggers(IEnumerable<CatalogEntry> entries) =>
        entries
            .Select(e => e.Definition)
            .OfType<PipelineDefinition>()
            .SelectMany(d => d.Spec.Data.FeatureViews)
            .Where(v => v.OnlineRefresh is not null)
            .DistinctBy(v => v.Name)
            .OrderBy(v => v.Name, StringComparer.Ordinal)
            .Select(v => new ScheduledTrigger($"feature-view:{v.Name}", RefreshTrigger, v.OnlineRefresh!, "UTC", MisfirePolicy.Skip, v.Hash, v.Name));

    /// <summary>Identifies the whole desired schedule; a different fingerprint means something must change in Quartz.</summary>
    public static string Fingerprint(IEnumerable<ScheduledTrigger> triggers) =>
        string.Join('\n', triggers.Select(t => $"{t.Pipeline}/{t.TriggerId}@{t.Version}").Order(StringComparer.Ordinal));
}
