using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Cli.Replay;

/// <summary>
/// The virtual fire times of a replay, from the product's cron evaluator (Quartz's own evaluation, in the pipeline's
/// time zone): every track starts with one full run at <c>--from</c>, then fires at every scheduled time after it,
/// up to <c>--to</c>.
/// </summary>
internal static class ReplayFires
{
    /// <summary>The trigger a baseline's runs are recorded under: a full run of every step up to deploy.</summary>
    public const string BaselineTrigger = "replay-baseline";

    private const int Batch = 2048;

    /// <summary>The policy's fires: the first full run, then each cron trigger of the pipeline.</summary>
    public static IReadOnlyList<ReplayFire> Policy(PipelineSpec spec, ICronEvaluator cron, DateTimeOffset from, DateTimeOffset to)
    {
        var fires = new List<ReplayFire> { new(from, RunRequest.ManualTrigger, RunMode.Full, -1, First: true) };
        var zone = Zone(spec);
        foreach (var trigger in spec.Triggers.Where(t => t.IsCron))
        {
            fires.AddRange(Times(cron, trigger.Cron!, zone, from, to).Select(at => new ReplayFire(at, trigger.Id, trigger.Mode, trigger.Position)));
        }

        return [.. fires.OrderBy(f => f.At).ThenBy(f => f.Order)];
    }

    /// <summary>A baseline's fires: the first full run, then a full run at each time of <paramref name="expression"/> (none for <c>static</c>).</summary>
    public static IReadOnlyList<ReplayFire> Baseline(PipelineSpec spec, ICronEvaluator cron, string? expression, DateTimeOffset from, DateTimeOffset to)
    {
        var fires = new List<ReplayFire> { new(from, BaselineTrigger, RunMode.Full, -1, First: true) };
        if (expression is not null)
        {
            fires.AddRange(Times(cron, expression, Zone(spec), from, to).Select(at => new ReplayFire(at, BaselineTrigger, RunMode.Full, 0)));
        }

        return fires;
    }

    /// <summary>
    /// The steps a baseline runs: every step but <c>monitor</c> and <c>retrain</c>, so a baseline retrains only on its
    /// schedule, never on drift.
    /// </summary>
    public static PipelineDefinition BaselineDefinition(PipelineDefinition definition)
    {
        var spec = definition.Spec;
        var steps = spec.Steps.Where(s => s.Kind is not (StepKind.Monitor or StepKind.Retrain)).Select(s => s.Id).ToList();
        var trigger = new TriggerSpec { Id = BaselineTrigger, Mode = RunMode.Full, Steps = steps, Mark = spec.Data.Source.Mark, Position = spec.Triggers.Count };
        return definition with { Spec = spec with { Triggers = [.. spec.Triggers, trigger] } };
    }

    private static TimeZoneInfo Zone(PipelineSpec spec) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(spec.Timezone, out var zone) ? zone : TimeZoneInfo.Utc;

    private static IEnumerable<DateTimeOffset> Times(ICronEvaluator cron, string expression, TimeZoneInfo zone, DateTimeOffset from, DateTimeOffset to)
    {
        var after = from;
        while (true)
        {
            var next = cron.NextFireTimes(expression, zone, after, Batch);
            foreach (var at in next)
            {
                if (at > to)
                {
                    yield break;
                }

                yield return at;
            }

            if (next.Count < Batch)
            {
                yield break;
            }

            after = next[^1];
        }
    }
}
