using System.Globalization;
using MlOpsOrchestrator.Planning;

namespace MlOpsOrchestrator.Cli.Commands;

/// <summary>The human-readable plan.</summary>
internal static class PlanText
{
    public static void Write(TextWriter output, PipelinePlan plan, TimeZoneInfo timeZone)
    {
        output.WriteLine($"pipeline {plan.Pipeline}  version {plan.Version[..12]}");
        output.WriteLine($"maturity level {plan.Level}: {plan.LevelName}");
        foreach (var held in plan.LevelHeld)
        {
            output.WriteLine($"  ✓ {held}");
        }

        foreach (var blocker in plan.LevelReasons)
        {
            output.WriteLine($"  ✗ {blocker}");
        }

        output.WriteLine();
        output.WriteLine("steps, in execution order:");
        var width = plan.Steps.Max(s => s.Id.Length);
        var position = 1;
        foreach (var id in plan.Order)
        {
            var step = plan.Steps.First(s => s.Id == id);
            var needs = step.Needs.Count == 0 ? "-" : string.Join(", ", step.Needs);
            output.WriteLine($"  {position++,2}. {step.Id.PadRight(width)}  {step.Kind,-9}  {(step.Automated ? "automated" : "manual   ")}  needs: {needs}");
        }

        if (plan.ParallelGroups.Any(g => g.Count > 1))
        {
            output.WriteLine($"  may run in parallel: {string.Join("; ", plan.ParallelGroups.Where(g => g.Count > 1).Select(g => string.Join(" | ", g)))}");
        }

        WriteFeatureViews(output, plan, timeZone);
        output.WriteLine();
        if (plan.Triggers.Count == 0)
        {
            output.WriteLine("no triggers: runs start by hand ('mlops run') or through the API");
            return;
        }

        output.WriteLine($"triggers (times in {plan.Timezone}):");
        foreach (var trigger in plan.Triggers)
        {
            var what = trigger.Cron is not null ? $"cron \"{trigger.Cron}\"" : $"on {trigger.On}";
            var subset = trigger.Steps is null ? "" : $"  steps: {string.Join(", ", trigger.Steps)}";
            output.WriteLine($"  {trigger.Id}  {what}  mode: {trigger.Mode}{subset}");
            if (trigger.Next.Count > 0)
            {
                var times = trigger.Next.Select(t => TimeZoneInfo.ConvertTime(t, timeZone).ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture));
                output.WriteLine($"      next: {string.Join(", ", times)}");
            }
        }
    }

    private static void WriteFeatureViews(TextWriter output, PipelinePlan plan, TimeZoneInfo timeZone)
    {
        if (plan.FeatureViews.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine("feature views (joined as of each row's time; materialized or reused by data_prep):");
        foreach (var view in plan.FeatureViews)
        {
            var refresh = view.Refresh is null ? "no online refresh" : $"online refresh cron \"{view.Refresh}\" (UTC)";
            output.WriteLine($"  {view.View}  features: {string.Join(", ", view.Features)}  {refresh}");
            if (view.Next.Count > 0)
            {
                var times = view.Next.Select(t => TimeZoneInfo.ConvertTime(t, timeZone).ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture));
                output.WriteLine($"      next: {string.Join(", ", times)}");
            }
        }
    }
}
