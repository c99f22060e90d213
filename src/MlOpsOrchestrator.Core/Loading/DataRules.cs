using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Loading;

/// <summary>Rules about columns: the label, timestamp, schema entries and features must name columns that exist.</summary>
internal sealed class DataRules(ReadContext context, string pipelineFile)
{
    /// <summary>Without a header, a schema that names some but not all columns (and not as column_N) cannot be matched to them.</summary>
    private static bool HeaderlessSchemaMismatch(DataSpec data) =>
        data.Source is { Type: SourceType.Csv, Header: false }
        && data.KnownColumns.Count > 0
        && data.Schema.Count > 0
        && data.Schema.Count != data.KnownColumns.Count
        && data.Schema.Any(c => !data.KnownColumns.Contains(c.Name));

    public void Check(PipelineSpec pipeline)
    {
        var data = pipeline.Data;
        var columns = data.KnownColumns;
        if (HeaderlessSchemaMismatch(data))
        {
            var path = data.Source.Path is null ? "the data" : $"'{Path.GetRelativePath(Path.GetDirectoryName(pipelineFile) ?? ".", data.Source.Path)}'";
            Error("data.schema", $"{path} has no header and {columns.Count} columns, but the schema names {data.Schema.Count}; with 'header: false' the schema must name every column in order (or refer to the columns as column_0 to column_{columns.Count - 1})");
        }
        else if (columns.Count > 0)
        {
            _separatorHint = SeparatorHint(data);
            CheckExists("data.label", data.Label, columns);
            if (data.Timestamp is not null)
            {
                CheckExists("data.timestamp", data.Timestamp, columns);
            }

            foreach (var column in data.Schema)
            {
                CheckExists($"data.schema.{column.Name}", column.Name, columns, "schema column");
            }

            foreach (var train in pipeline.Steps.OfType<TrainStep>())
            {
                for (var i = 0; i < (train.Features?.Count ?? 0); i++)
                {
                    CheckExists($"{train.YamlPath}.features[{i}]", train.Features![i], columns);
                }
            }

            foreach (var deploy in pipeline.Steps.OfType<DeployStep>().Where(d => d.Key is not null))
            {
                CheckExists($"{deploy.YamlPath}.key", deploy.Key!, columns);
            }
        }

        CheckLabel(pipeline);
        CheckTimeNeeds(pipeline);
    }

    private string? _separatorHint;

    private void Error(string path, string message) => context.Errors.Add(context.Marks.Of(path), path, message);

    private void CheckExists(string path, string name, IReadOnlyList<string> columns, string what = "column")
    {
        if (name.Length > 0 && !columns.Contains(name))
        {
            Error(path, $"{what} '{name}' does not exist in the data{_separatorHint ?? Suggest.Hint(name, columns)}");
        }
    }

    /// <summary>
    /// A header read as one column that another supported separator would split: the file's separator is not the
    /// source's, which says more than listing the one long "column".
    /// </summary>
    private static string? SeparatorHint(DataSpec data)
    {
        if (data.Source is not { Type: SourceType.Csv, Header: true } source || data.KnownColumns is not [var only])
        {
            return null;
        }

        foreach (var (separator, word, yaml) in new[] { (',', "','", "\",\""), (';', "';'", "\";\""), ('\t', "tabs", "\"\\t\"") })
        {
            if (separator != source.Separator && CsvHeader.Split(only, separator).Count > 1)
            {
                return $"; the header reads as one column; the file looks separated by {word}: set separator: {yaml} on the source";
            }
        }

        return null;
    }

    private void CheckLabel(PipelineSpec pipeline)
    {
        var data = pipeline.Data;
        foreach (var column in data.Schema.Where(c => c.Name != data.Label))
        {
            if (column.Positive is not null)
            {
                Error($"data.schema.{column.Name}.positive", $"'positive' applies to the label column '{data.Label}' only");
            }

            if (column.Classes is not null)
            {
                Error($"data.schema.{column.Name}.classes", $"'classes' applies to the label column '{data.Label}' only");
            }
        }

        var label = data.Column(data.Label);
        if (label?.Type == ColumnType.Ignore)
        {
            Error($"data.schema.{label.Name}.type", $"the label '{label.Name}' cannot be 'ignore'");
        }

        foreach (var train in pipeline.Steps.OfType<TrainStep>())
        {
            if (train.Features is { Count: 0 })
            {
                Error($"{train.YamlPath}.features", "'features' is empty; list at least one column, or remove 'features' to use every column except the label and timestamp");
            }

            foreach (var (feature, i) in (train.Features ?? []).Select((f, i) => (f, i)))
            {
                if (feature == data.Timestamp)
                {
                    Error($"{train.YamlPath}.features[{i}]", $"'{feature}' is the timestamp column; it orders the data and cannot be a feature");
                }
                else if (data.Column(feature)?.Type == ColumnType.Ignore)
                {
                    Error($"{train.YamlPath}.features[{i}]", $"column '{feature}' is declared 'type: ignore' in the schema; remove it from 'features' or give it a type");
                }
            }

            if (train.Features?.Contains(data.Label) == true)
            {
                Error($"{train.YamlPath}.features", $"the label '{data.Label}' cannot also be a feature");
            }

            if (label?.Positive is not null && train.Task != MlTask.Binary)
            {
                Error($"data.schema.{label.Name}.positive", $"'positive' is for binary labels, but train '{train.Id}' is {PipelineValidator.TaskName(train.Task)}");
            }

            if (train.Task == MlTask.Regression && label?.Type is ColumnType.Categorical or ColumnType.Text or ColumnType.Boolean)
            {
                Error($"data.schema.{label.Name}.type", $"a regression label must be numeric, but '{label.Name}' is declared {label.Type.ToString()!.ToLowerInvariant()}");
            }
        }
    }

    private void CheckTimeNeeds(PipelineSpec pipeline)
    {
        if (pipeline.Data.Timestamp is not null)
        {
            return;
        }

        foreach (var prep in pipeline.Steps.OfType<DataPrepStep>().Where(p => p.Split.By == SplitBy.Time))
        {
            Error($"{prep.YamlPath}.split.by", "'split: { by: time }' needs 'data.timestamp'");
        }

        foreach (var train in pipeline.Steps.OfType<TrainStep>().Where(t => t.Incremental?.Strategy == IncrementalStrategy.Window))
        {
            Error($"{train.YamlPath}.incremental.window", "'strategy: window' needs 'data.timestamp' to know which rows are newest");
        }
    }
}
