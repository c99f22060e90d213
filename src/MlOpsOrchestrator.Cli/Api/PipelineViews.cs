using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Cli.Views;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Scheduling.Quartz;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Cli.Api;

/// <summary>
/// Builds <see cref="PipelineView"/>s: the plan from the definition, fire times from Quartz where it holds the trigger
/// (the optional <see cref="IScheduleInfo"/>, absent when no scheduler runs in the process), runs from the store.
/// </summary>
internal sealed class PipelineViews(PipelineCatalog catalog, IRunRepository runs, ICronEvaluator cron, TimeProvider time, IScheduleInfo? schedule = null)
{
    private const int FireTimes = 3;

    public async Task<PipelineView> BuildAsync(CatalogEntry entry, int lastRuns, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var runViews = entry.Name is { } name
            ? (await runs.ListAsync(name, lastRuns, ct)).Select(r => RunView.From(r, null, now)).ToList()
            : [];
        if (entry.Definition is not { } definition)
        {
            return PipelineView.From(entry, catalog.Folder, null, [], runViews);
        }

        var plan = PlanBuilder.Build(definition, cron, now, FireTimes);
        var triggers = new List<TriggerView>();
        foreach (var trigger in plan.Triggers)
        {
            var scheduled = schedule is not null && trigger.Cron is not null && await schedule.IsScheduledAsync(plan.Pipeline, trigger.Id, ct);
            var next = scheduled ? await schedule!.NextFireTimesAsync(plan.Pipeline, trigger.Id, FireTimes, ct) : trigger.Next;
            triggers.Add(new TriggerView(trigger.Id, trigger.Cron, trigger.On, trigger.Mode, trigger.Steps, scheduled, next.Select(t => t.ToUniversalTime()).ToList()));
        }

        return PipelineView.From(entry, catalog.Folder, plan, triggers, runViews);
    }
}
