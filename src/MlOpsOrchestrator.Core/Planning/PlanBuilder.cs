using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Planning;

/// <summary>Builds the <see cref="PipelinePlan"/> of a definition; cron is evaluated by the scheduler's own rules.</summary>
public static class PlanBuilder
{
    public static PipelinePlan Build(PipelineDefinition definition, ICronEvaluator cron, DateTimeOffset now, int fireTimes = 3)
    {
        var spec = definition.Spec;
        var graph = definition.Graph();
        var timeZone = TimeZoneInfo.FindSystemTimeZoneById(spec.Timezone);
        return new PipelinePlan(
            spec.Name,
            definition.Version,
            definition.Maturity.Level,
            definition.Maturity.Name,
            definition.Maturity.Blockers,
            definition.Maturity.Held,
            graph.Order().Select(s => s.Id).ToList(),
            graph.ParallelGroups().Select(g => (IReadOnlyList<string>)g.Select(s => s.Id).ToList()).ToList(),
            spec.Steps.Select(s => new PlannedStep(s.Id, KindName(s.Kind), s.Needs, s.Automated)).ToList(),
            spec.Timezone,
            spec.Triggers.Select(t => new PlannedTrigger(
                t.Id,
                spec.EnvironmentPaths.ContainsKey($"{t.YamlPath}.cron") ? "(from the environment)" : t.Cron,
                t.On,
                t.Mode == RunMode.Full ? "full" : "incremental",
                t.Steps,
                t.Cron is null ? [] : cron.NextFireTimes(t.Cron, timeZone, now, fireTimes).Select(d => d.ToUniversalTime()).ToList())).ToList())
        {
            FeatureViews = spec.Data.FeatureViews.Select(v => new PlannedFeatureView(
                v.Name,
                spec.Data.Features.Where(f => f.View == v.Name).Select(f => f.Feature).ToList(),
                v.OnlineRefresh,
                v.OnlineRefresh is null ? [] : cron.NextFireTimes(v.OnlineRefresh, TimeZoneInfo.Utc, now, fireTimes).Select(d => d.ToUniversalTime()).ToList())).ToList(),
        };
    }

    /// <summary>The YAML word for a step kind.</summary>
    public static string KindName(StepKind kind) => kind switch
    {
        StepKind.DataPrep => "data_prep",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
