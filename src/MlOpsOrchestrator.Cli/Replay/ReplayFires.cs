using System.Globalization;
using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Specs;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

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

    /// <summary>The cron of the baseline trigger in a baseline's stored YAML: valid, and never reached by a replay.</summary>
    private const string NeverCron = "0 0 0 1 1 ? 2099";

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

    /// <summary>
    /// The YAML a baseline's runs are stored with: the pipeline's, with the baseline's trigger added. A run is executed
    /// from its stored YAML, and a baseline's scheduled full run must be one of the pipeline's own triggers there, so it
    /// is judged as a scheduled run in production is: a candidate that fails only relative gates is kept back, not a
    /// failed run. The trigger's cron (once, in 2099) is never evaluated: the replay fires a baseline at the times of
    /// its own expression.
    /// </summary>
    public static string BaselineYaml(string yaml, PipelineDefinition baseline)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var key = new YamlScalarNode("triggers");
        if (!root.Children.TryGetValue(key, out var node) || node is not YamlSequenceNode triggers)
        {
            triggers = [];
            root.Children[key] = triggers;
        }

        var steps = baseline.Spec.Triggers.Single(t => t.Id == BaselineTrigger).Steps ?? [];
        triggers.Add(new YamlMappingNode(
            new YamlScalarNode("id"), new YamlScalarNode(BaselineTrigger),
            new YamlScalarNode("cron"), new YamlScalarNode(NeverCron) { Style = ScalarStyle.DoubleQuoted },
            new YamlScalarNode("mode"), new YamlScalarNode("full"),
            new YamlScalarNode("steps"), new YamlSequenceNode(steps.Select(s => new YamlScalarNode(s)))));
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        stream.Save(writer, assignAnchors: false);
        return writer.ToString();
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
