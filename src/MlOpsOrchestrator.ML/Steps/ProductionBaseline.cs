using Microsoft.ML;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Stores;
using MlOpsOrchestrator.Text;

namespace MlOpsOrchestrator.ML.Steps;

/// <summary>
/// The current production model, measured on this run's test set so relative gates compare like with like. When it
/// cannot be measured (another task, columns the test set lacks, other classes) <see cref="Metrics"/> is null and
/// <see cref="Note"/> says why; relative gates then pass as if there were no production model.
/// </summary>
internal sealed record ProductionBaseline(ModelVersion Version, IReadOnlyDictionary<string, double>? Metrics, string Note)
{
    /// <summary>The loaded model when it could be measured, for measuring it again on slices of the same rows.</summary>
    public ScoredModel? Scored { get; init; }

    public static ProductionBaseline Measure(
        MLContext ml, IArtifactStore artifacts, ModelVersion version, MlTask task, DatasetSchema candidate, IDataView test)
    {
        var label = $"production {version.Name} v{version.Version}";
        if (!version.Properties.TryGetValue(ModelProperties.Task, out var taskName) || !TaskNames.TryParse(taskName, out var productionTask))
        {
            return Skip(version, $"{label} not compared: it records no task");
        }

        if (productionTask != task)
        {
            return Skip(version, $"{label} not compared: it is a {taskName} model, the candidates are {TaskNames.Of(task)}");
        }

        if (!version.Properties.TryGetValue(ModelProperties.Schema, out var schemaPath) || !artifacts.Exists(schemaPath)
            || !artifacts.Exists(version.ArtifactPath))
        {
            return Skip(version, $"{label} not compared: its model or schema file is missing from the artifact store");
        }

        try
        {
            var schema = StepArtifacts.ReadSchema(artifacts.PathOf(schemaPath));
            if (Incompatibility(schema, candidate, test) is { } reason)
            {
                return Skip(version, $"{label} not compared: its schema is incompatible with this test set ({reason})");
            }

            var model = ModelFile.Load(ml, artifacts.PathOf(version.ArtifactPath));
            var scored = new ScoredModel(model, schema, task);
            var metrics = scored.Measure(ml, test);
            return new ProductionBaseline(version, metrics, $"{label}: {StepOutcomes.Describe(metrics)}") { Scored = scored };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Skip(version, $"{label} not compared: scoring it on this test set failed ({ex.Message})");
        }
    }

    private static ProductionBaseline Skip(ModelVersion version, string note) => new(version, null, note);

    private static string? Incompatibility(DatasetSchema schema, DatasetSchema candidate, IDataView test)
    {
        var problems = new List<string>();
        if (schema.Label != candidate.Label)
        {
            problems.Add($"its label is '{schema.Label}', now '{candidate.Label}'");
        }

        if (!(schema.Classes ?? []).SequenceEqual(candidate.Classes ?? [], StringComparer.Ordinal))
        {
            problems.Add($"its classes are [{Echo.List(schema.Classes ?? [])}], now [{Echo.List(candidate.Classes ?? [])}]");
        }

        if (schema.Positive != candidate.Positive)
        {
            problems.Add($"its positive class is '{schema.Positive}', now '{candidate.Positive}'");
        }

        foreach (var column in schema.Features)
        {
            var actual = test.Schema.GetColumnOrNull(column.Name);
            if (actual is null)
            {
                problems.Add($"column '{column.Name}' is missing");
            }
            else if (!ColumnRepresentation.Matches(column.Type, actual.Value.Type))
            {
                problems.Add($"column '{column.Name}' is {actual.Value.Type}, the model expects {ColumnRepresentation.Of(column.Type)}");
            }
        }

        if (test.Schema.GetColumnOrNull(schema.Label) is null)
        {
            problems.Add($"label '{schema.Label}' is missing");
        }

        return problems.Count > 0 ? string.Join(", ", problems) : null;
    }
}
