using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Data.Columns;
using MlOpsOrchestrator.ML.Data.Ingestion;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Text;

namespace MlOpsOrchestrator.ML.Steps.DataPrep;

/// <summary>
/// Decides each column's type and role. Types come from <c>data.schema</c>, else from the values. Roles: the label,
/// the timestamp, <c>ignore</c>d columns (not read at all), features (the union of the train steps'
/// <c>features:</c> when every train step lists them, else every other column); a column that is none of these is
/// kept with role <see cref="ColumnRole.Ignored"/> and not held to <c>missing: fail</c>.
/// </summary>
internal static class SchemaResolver
{
    /// <summary>Names the pipeline uses that the data lacks (the loader checks CSV headers, but files change and queries are unknown until run).</summary>
    public static void CheckReferences(PipelineSpec pipeline, IReadOnlyList<string> columns, string source, Problems problems)
    {
        var data = pipeline.Data;
        var known = columns.ToHashSet(StringComparer.Ordinal);
        var listed = Echo.Quoted(columns);
        if (!known.Contains(data.Label))
        {
            problems.Add($"the label column '{data.Label}' is not in {source} (its columns: {listed})");
        }

        if (data.Timestamp is { } timestamp && !known.Contains(timestamp))
        {
            problems.Add($"the timestamp column '{timestamp}' is not in {source} (its columns: {listed})");
        }

        foreach (var column in data.Schema.Where(c => !known.Contains(c.Name) && c.Name != data.Label && c.Name != data.Timestamp))
        {
            problems.Add($"data.schema names column '{column.Name}', which is not in {source} (its columns: {listed})");
        }

        foreach (var train in pipeline.Steps.OfType<TrainStep>())
        {
            foreach (var feature in (train.Features ?? []).Where(f => !known.Contains(f)))
            {
                problems.Add($"train step '{train.Id}' uses feature '{feature}', which is not in {source} (its columns: {listed})");
            }
        }
    }

    /// <summary>Undeclared columns other than the timestamp (always a datetime) are inferred from their values.</summary>
    public static bool NeedsInference(DataSpec data, string column) => column != data.Timestamp && data.Column(column)?.Type is null;

    /// <summary>Null when every train step should see every column.</summary>
    public static IReadOnlySet<string>? Features(PipelineSpec pipeline)
    {
        var trains = pipeline.Steps.OfType<TrainStep>().ToList();
        return trains.Count == 0 || trains.Any(t => t.Features is null)
            ? null
            : trains.SelectMany(t => t.Features!).ToHashSet(StringComparer.Ordinal);
    }

    public static List<ColumnPlan> Plan(PipelineSpec pipeline, IReadOnlyList<string> columns, IReadOnlyDictionary<string, ColumnType> inferred, Problems problems)
    {
        var data = pipeline.Data;
        var features = Features(pipeline);
        var plans = new List<ColumnPlan>();
        foreach (var name in columns)
        {
            var spec = data.Column(name);
            var type = name == data.Timestamp ? ColumnType.Datetime : spec?.Type ?? inferred[name];
            if (name == data.Timestamp && spec?.Type is { } declared && declared != ColumnType.Datetime)
            {
                problems.Add($"the timestamp column '{name}' is declared {Word(declared)} in data.schema; a timestamp must be a datetime");
            }

            if (type == ColumnType.Ignore)
            {
                continue;
            }

            var role = name == data.Label ? ColumnRole.Label
                : name == data.Timestamp ? ColumnRole.Timestamp
                : features is null || features.Contains(name) ? ColumnRole.Feature
                : ColumnRole.Ignored;
            plans.Add(new ColumnPlan
            {
                Name = name,
                Type = type,
                Role = role,
                Missing = spec?.Missing ?? MissingPolicy.Fail,
                Min = spec?.Min,
                Max = spec?.Max,
                Declared = spec?.Type is not null,
            });
        }

        return plans;
    }

    /// <summary>The task the label is prepared for: the first train step's, or a guess from the label's type when there is none.</summary>
    public static MlTask Task(PipelineSpec pipeline, ColumnPlan label) =>
        pipeline.Steps.OfType<TrainStep>().FirstOrDefault()?.Task ?? label.Type switch
        {
            ColumnType.Boolean => MlTask.Binary,
            ColumnType.Float or ColumnType.Int => MlTask.Regression,
            _ => MlTask.Multiclass,
        };

    public static string Word(ColumnType type) => type.ToString().ToLowerInvariant();
}
