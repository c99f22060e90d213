using System.Text.RegularExpressions;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Loading;

/// <summary>
/// Turns the node tree of one file into a <see cref="PipelineSpec"/>, reporting shape errors (unknown keys, wrong
/// types, missing fields, bad values) as it goes. Cross-references are the <see cref="PipelineValidator"/>'s job.
/// </summary>
internal sealed partial class PipelineSpecReader(ReadContext context, string yamlFile, string dataRoot, SourceVocabulary sources, bool checkData = true)
{
    private static readonly string[] TopKeys = ["version", "name", "description", "owner", "data", "triggers", "timezone", "concurrency", "steps", "notify", "retention"];
    private static readonly string[] DataKeys = ["source", "test_source", "timestamp", "label", "schema", "features"];
    private static readonly string[] ColumnKeys = ["type", "missing", "range", "min", "max", "positive", "classes"];
    private static readonly string[] TriggerKeys = ["id", "cron", "on", "mode", "misfire", "steps"];

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex PipelineName();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$")]
    internal static partial Regex Identifier();

    public PipelineSpec? Read(YNode root)
    {
        var top = context.Open(root, "", TopKeys, "the pipeline");
        if (top is null)
        {
            return null;
        }

        var version = top.Integer("version", required: true);
        if (version is not null and not 1)
        {
            top.Error("version", $"version {version} is not supported; this is the version 1 format (write 'version: 1')");
        }

        var name = top.String("name", required: true) ?? "";
        if (top.Has("name") && !PipelineName().IsMatch(name))
        {
            top.Error("name", $"invalid name '{name}'; use lowercase letters, digits and '-', starting with a letter or digit, at most 63 characters");
        }

        var timezone = top.String("timezone") ?? "UTC";
        if (top.Has("timezone") && !TimeZoneInfo.TryFindSystemTimeZoneById(timezone, out _))
        {
            top.Error("timezone", $"unknown time zone '{timezone}'; use an IANA name such as 'UTC' or 'Europe/Paris'");
        }

        var data = ReadData(top);
        var steps = new StepReader(context, name).ReadAll(top.Sequence("steps", required: true), "steps");
        if (top.Node("steps") is YSequence { Items.Count: 0 })
        {
            top.Error("steps", "a pipeline needs at least one step");
        }

        return new PipelineSpec
        {
            Version = (int)(version ?? 1),
            Name = name,
            Description = top.String("description"),
            Owner = top.String("owner"),
            Data = data,
            Triggers = ReadTriggers(top.Sequence("triggers")),
            Timezone = timezone,
            Concurrency = top.Choice("concurrency", Vocabulary.Concurrency) ?? ConcurrencyPolicy.Skip,
            Steps = steps,
            Notify = new NotifyReader(context).Read(top),
            Retention = RetentionReader.Read(context, top),
        };
    }

    private DataSpec ReadData(Fields top)
    {
        var data = context.Open(top.Node("data"), "data", DataKeys, "'data'");
        if (data is null)
        {
            if (!top.Has("data"))
            {
                top.Scalar("data", required: true);
            }

            return new DataSpec { Source = new SourceSpec { Type = SourceType.Csv, Mark = top.Mapping.Mark }, Label = "" };
        }

        var source = ReadSource(data, "source", required: true)
            ?? new SourceSpec { Type = SourceType.Csv, Mark = data.Mapping.Mark };
        return new DataSpec
        {
            Source = source,
            TestSource = ReadSource(data, "test_source", required: false),
            Timestamp = data.String("timestamp"),
            Label = data.String("label", required: true) ?? "",
            Schema = ReadSchema(data),
            Features = data.Names("features", "features (view:feature)")?.Select(f => FeatureNames.Parse(f.Value, f.Mark, f.Path)).ToList() ?? [],
        };
    }

    private SourceSpec? ReadSource(Fields data, string key, bool required) =>
        new SourceSpecReader(context, yamlFile, dataRoot, sources, checkData).Read(data, key, required);

    private List<ColumnSpec> ReadSchema(Fields data)
    {
        var columns = new List<ColumnSpec>();
        var schema = data.MappingOf("schema");
        if (schema is null)
        {
            return columns;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, node) in schema.Entries)
        {
            var path = $"data.schema.{key.Value}";
            context.Marks.Record(path, key.Mark);
            if (!seen.Add(key.Value))
            {
                context.Errors.Add(key, path, $"column '{key.Value}' is declared twice in the schema");
                continue;
            }

            var column = context.Open(node, path, ColumnKeys, $"column '{key.Value}'");
            if (column is not null)
            {
                columns.Add(ReadColumn(key, column));
            }
        }

        return columns;
    }

    private static ColumnSpec ReadColumn(YScalar key, Fields column)
    {
        double? min = column.Number("min"), max = column.Number("max");
        if (column.Sequence("range") is { } range)
        {
            if (column.Has("min") || column.Has("max"))
            {
                column.Error("range", "use either 'range: [low, high]' or 'min'/'max', not both");
            }

            if (range.Items is [YScalar low, YScalar high] && ScalarValues.TryNumber(low, out var lo) && ScalarValues.TryNumber(high, out var hi))
            {
                (min, max) = (lo, hi);
            }
            else
            {
                column.Error("range", "expected 'range: [low, high]' with two numbers");
            }
        }

        if (min is not null && max is not null && min > max)
        {
            column.Error(column.Has("range") ? "range" : "min", $"the lower bound {min} is above the upper bound {max}");
        }

        var classes = column.Names("classes")?.Select(c => c.Value).ToList();
        return new ColumnSpec
        {
            Name = key.Value,
            Type = column.Choice("type", Vocabulary.ColumnTypes),
            Missing = column.Choice("missing", Vocabulary.MissingPolicies) ?? MissingPolicy.Fail,
            Min = min,
            Max = max,
            Positive = column.String("positive"),
            Classes = classes,
            Mark = key.Mark,
        };
    }

    private List<TriggerSpec> ReadTriggers(YSequence? sequence)
    {
        var triggers = new List<TriggerSpec>();
        for (var i = 0; i < (sequence?.Items.Count ?? 0); i++)
        {
            var path = $"triggers[{i}]";
            var trigger = context.Open(sequence!.Items[i], path, TriggerKeys, "a trigger");
            if (trigger is null)
            {
                continue;
            }

            var id = trigger.String("id", required: true) ?? "";
            if (trigger.Has("id") && !Identifier().IsMatch(id))
            {
                trigger.Error("id", $"invalid trigger id '{id}'; use letters, digits, '-' and '_'");
            }

            var cron = trigger.String("cron");
            var on = trigger.String("on");
            if (cron is null && on is null)
            {
                context.Errors.Add(trigger.Mapping, path, $"trigger '{id}' needs either 'cron' (a Quartz cron expression) or 'on: drift'");
            }
            else if (cron is not null && on is not null)
            {
                trigger.Error("on", $"trigger '{id}' has both 'cron' and 'on'; a trigger is either scheduled or fired by an event");
            }

            if (on is not null && !Vocabulary.TriggerEvents.Contains(on))
            {
                trigger.Error("on", $"unknown event '{on}'{Suggest.Hint(on, Vocabulary.TriggerEvents.ToList())}");
            }

            if (on is not null && trigger.Has("misfire"))
            {
                trigger.Error("misfire", "'misfire' applies to cron triggers only; an 'on: drift' trigger fires when its retrain step says so");
            }

            triggers.Add(new TriggerSpec
            {
                Id = id,
                Cron = cron,
                On = on,
                Mode = trigger.Choice("mode", Vocabulary.Modes) ?? RunMode.Full,
                Misfire = trigger.Choice("misfire", Vocabulary.Misfires) ?? MisfirePolicy.FireOnce,
                Steps = trigger.Names("steps")?.Select(s => s.Value).ToList(),
                Mark = trigger.Mapping.Mark,
                Position = i,
            });
        }

        return triggers;
    }
}
