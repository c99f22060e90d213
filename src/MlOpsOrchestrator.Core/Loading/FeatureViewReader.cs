using System.Text.RegularExpressions;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Loading;

/// <summary>
/// Turns the node tree of one feature view file into a <see cref="FeatureViewSpec"/>, reporting every problem with
/// its position as the pipeline reader does: unknown keys, a window without a timestamp, an aggregation of a column
/// that is not a number, a column that is not in the source.
/// </summary>
internal sealed partial class FeatureViewReader(ReadContext context, string yamlFile, string dataRoot, SourceVocabulary sources, ICronEvaluator cron)
{
    private static readonly string[] TopKeys = ["version", "kind", "name", "description", "owner", "entity", "source", "timestamp", "features", "ttl", "online"];
    private static readonly string[] FeatureKeys = ["agg", "column", "window"];
    private static readonly string[] OnlineKeys = ["refresh"];

    /// <summary>The <c>agg:</c> words.</summary>
    public static IReadOnlyDictionary<string, FeatureAggregation> Aggregations { get; } = new Dictionary<string, FeatureAggregation>(StringComparer.Ordinal)
    {
        ["count"] = FeatureAggregation.Count,
        ["sum"] = FeatureAggregation.Sum,
        ["mean"] = FeatureAggregation.Mean,
        ["min"] = FeatureAggregation.Min,
        ["max"] = FeatureAggregation.Max,
        ["last"] = FeatureAggregation.Last,
        ["distinct_count"] = FeatureAggregation.DistinctCount,
    };

    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$")]
    internal static partial Regex Name();

    public FeatureViewSpec? Read(YNode root, string hash)
    {
        var top = context.Open(root, "", TopKeys, "the feature view");
        if (top is null)
        {
            return null;
        }

        var version = top.Integer("version", required: true);
        if (version is not null and not 1)
        {
            top.Error("version", $"version {version} is not supported; this is the version 1 format (write 'version: 1')");
        }

        if (top.String("kind", required: true) is { } kind && kind != "feature_view")
        {
            top.Error("kind", $"unknown kind '{kind}'; a file in the features folder is a 'kind: feature_view'");
        }

        var name = top.String("name", required: true) ?? "";
        if (top.Has("name") && !Name().IsMatch(name))
        {
            top.Error("name", $"invalid view name '{name}'; use lowercase letters, digits and '_', starting with a letter, at most 63 characters");
        }

        var entity = top.Names("entity", "key columns")?.ToList() ?? [];
        if (!top.Has("entity"))
        {
            top.Scalar("entity", required: true);
        }
        else if (entity.Count == 0 && top.Node("entity") is YSequence)
        {
            top.Error("entity", "a feature view needs at least one entity (key) column");
        }

        var source = new SourceSpecReader(context, yamlFile, dataRoot, sources).Read(top, "source", required: true);
        var timestamp = top.String("timestamp");
        var ttl = Durations.Read(top, "ttl");
        if (ttl is not null && timestamp is null)
        {
            top.Error("ttl", "'ttl' needs 'timestamp' (the event time column): the age of an event is measured by it");
        }

        var columns = source is { Type: SourceType.Csv, Path: { } path } && File.Exists(path) ? CsvSample.Read(path, source.Separator, source.Header, source.Encoding) : null;
        if (columns is not null)
        {
            foreach (var (key, mark, keyPath) in entity)
            {
                CheckColumn(columns, key, mark, keyPath, "entity column");
            }

            if (timestamp is not null)
            {
                CheckColumn(columns, timestamp, top.MarkOf("timestamp"), "timestamp", "timestamp column");
            }
        }

        var features = ReadFeatures(top, timestamp, columns, entity.Select(e => e.Value).ToList());
        return new FeatureViewSpec
        {
            Name = name,
            Description = top.String("description"),
            Owner = top.String("owner"),
            Entity = entity.Select(e => e.Value).ToList(),
            Source = source ?? new SourceSpec { Type = SourceType.Csv, Mark = top.Mapping.Mark },
            Timestamp = timestamp,
            Features = features,
            Ttl = ttl,
            OnlineRefresh = ReadOnline(top),
            File = Path.GetFullPath(yamlFile),
            Hash = hash,
        };
    }

    private List<FeatureSpec> ReadFeatures(Fields top, string? timestamp, CsvSample? columns, List<string> entity)
    {
        var features = new List<FeatureSpec>();
        var mapping = top.MappingOf("features", required: true);
        if (mapping is null)
        {
            return features;
        }

        if (mapping.Entries.Count == 0)
        {
            top.Error("features", "a feature view needs at least one feature");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, node) in mapping.Entries)
        {
            var path = $"features.{key.Value}";
            context.Marks.Record(path, key.Mark);
            if (!seen.Add(key.Value))
            {
                context.Errors.Add(key, path, $"feature '{key.Value}' is declared twice");
                continue;
            }

            if (!Name().IsMatch(key.Value))
            {
                context.Errors.Add(key, path, $"invalid feature name '{key.Value}'; use lowercase letters, digits and '_', starting with a letter");
            }

            var fields = context.Open(node, path, FeatureKeys, $"feature '{key.Value}'");
            if (fields is null)
            {
                continue;
            }

            var agg = fields.Choice("agg", Aggregations, required: true);
            var column = fields.String("column");
            var window = Durations.Read(fields, "window");
            if (window is not null && timestamp is null)
            {
                fields.Error("window", $"a window needs 'timestamp' (the event time column) in the view; add 'timestamp:' or remove the window of '{key.Value}'");
            }

            if (agg == FeatureAggregation.Count && column is not null)
            {
                fields.Error("column", "'count' counts events and takes no column; remove 'column', or use 'distinct_count' to count distinct values");
            }
            else if (agg is not null and not FeatureAggregation.Count && column is null)
            {
                fields.Scalar("column", required: true);
            }

            if (column is not null && agg is not null and not FeatureAggregation.Count)
            {
                CheckAggregated(fields, columns, column, agg.Value, timestamp, entity);
            }

            features.Add(new FeatureSpec { Name = key.Value, Aggregation = agg ?? FeatureAggregation.Count, Column = column, Window = window, Mark = key.Mark });
        }

        return features;
    }

    private void CheckAggregated(Fields fields, CsvSample? columns, string column, FeatureAggregation agg, string? timestamp, List<string> entity)
    {
        if (column == timestamp || entity.Contains(column))
        {
            fields.Error("column", $"'{column}' is the view's {(column == timestamp ? "timestamp" : "entity")}; aggregate another column");
            return;
        }

        if (columns is null || !CheckColumn(columns, column, fields.MarkOf("column"), fields.PathOf("column"), "column"))
        {
            return;
        }

        if (agg != FeatureAggregation.DistinctCount && columns.FirstNonNumber(column) is { } bad)
        {
            var word = Aggregations.First(a => a.Value == agg).Key;
            fields.Error("column", $"'{word}' needs a numeric column, but '{column}' holds '{bad.Value}' on line {bad.Line}; use 'distinct_count' or a numeric column");
        }
    }

    private bool CheckColumn(CsvSample columns, string name, SourceMark mark, string path, string what)
    {
        if (columns.Names.Contains(name, StringComparer.Ordinal))
        {
            return true;
        }

        context.Errors.Add(mark, path, $"{what} '{name}' does not exist in the source{Suggest.Hint(name, columns.Names.ToList())}");
        return false;
    }

    private string? ReadOnline(Fields top)
    {
        var online = context.Open(top.Node("online"), "online", OnlineKeys, "'online'");
        var refresh = online?.String("refresh", required: true);
        if (online is not null && refresh is not null && cron.Validate(refresh) is { } reason)
        {
            online.Error("refresh", $"invalid cron '{refresh}': {reason}");
        }

        return refresh;
    }
}
