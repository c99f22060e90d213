using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Data;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Serving;

/// <summary>
/// Scores JSON input with one registered model version: the saved chain applies exactly the training featurization.
/// Thread-safe: each call builds its own data view and cursor over the shared, immutable transformer, so one instance
/// serves concurrent requests (ML.NET's <c>PredictionEngine</c> is not thread-safe and needs a compile-time row type).
/// </summary>
public sealed class ModelScorer
{
    private const string ScoreColumn = "Score";
    private const string PredictedLabelColumn = "PredictedLabel";
    private const string ProbabilityColumn = "Probability";

    private readonly ITransformer _model;
    private readonly ScoringInput _input;
    private readonly object? _positive;
    private readonly object? _negative;

    private ModelScorer(ITransformer model, DataViewSchema modelInput, DatasetSchema schema, MlTask task)
    {
        _model = model;
        Schema = schema;
        Task = task;
        _input = new ScoringInput(schema, modelInput);
        (_positive, _negative) = BinaryLabels(schema);
    }

    public MlTask Task { get; }

    /// <summary>The model's view of the dataset schema (unused features marked ignored, classes in score order).</summary>
    public DatasetSchema Schema { get; }

    /// <summary>The fields a request must or may carry, in schema order.</summary>
    public IReadOnlyList<string> Fields => _input.Fields;

    /// <summary>Multiclass: the class of each entry of <see cref="Prediction.Scores"/>.</summary>
    public IReadOnlyList<string> Classes => Schema.Classes ?? [];

    /// <summary>Loads a registered version: its model zip, and the schema and task its registry properties name.</summary>
    /// <exception cref="InvalidDataException">The version lacks a task or schema, or its files are missing.</exception>
    public static ModelScorer Load(IArtifactStore artifacts, ModelVersion version)
    {
        ArgumentNullException.ThrowIfNull(artifacts);
        ArgumentNullException.ThrowIfNull(version);
        var label = $"{version.Name} v{version.Version}";
        if (!version.Properties.TryGetValue(DatasetContract.TaskProperty, out var taskName) || !TaskNames.TryParse(taskName, out var task))
        {
            throw new InvalidDataException($"model {label} records no valid task (binary, multiclass or regression)");
        }

        if (!version.Properties.TryGetValue(DatasetContract.SchemaProperty, out var schemaPath) || !artifacts.Exists(schemaPath))
        {
            throw new InvalidDataException($"model {label} has no schema file in the artifact store");
        }

        if (!artifacts.Exists(version.ArtifactPath))
        {
            throw new InvalidDataException($"model {label} has no model file in the artifact store: {version.ArtifactPath}");
        }

        DatasetSchema schema;
        try
        {
            schema = DatasetSchemaJson.Deserialize(File.ReadAllText(artifacts.PathOf(schemaPath)));
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"the schema of model {label} is not valid: {ex.Message}", ex);
        }

        return Load(artifacts.PathOf(version.ArtifactPath), schema, task);
    }

    /// <summary>Loads a model zip written by the train step, with the schema it was trained on.</summary>
    public static ModelScorer Load(string modelPath, DatasetSchema schema, MlTask task)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var model = ModelFile.Load(new MLContext(), modelPath, out var inputSchema);
        return new ModelScorer(model, inputSchema, schema, task);
    }

    /// <summary>Scores one object or an array of objects; one prediction per row, in input order.</summary>
    /// <exception cref="ScoringInputException">The input does not fit the model; the message lists every problem.</exception>
    public IReadOnlyList<Prediction> Score(JsonElement input)
    {
        var view = _input.Read(input, out var rows);
        return rows == 0 ? [] : Read(_model.Transform(view), rows);
    }

    /// <summary>As <see cref="Score"/>, shaped like the input: an object for an object, an array for an array.</summary>
    public JsonNode ScoreToJson(JsonElement input)
    {
        var predictions = Score(input);
        return input.ValueKind == JsonValueKind.Array
            ? new JsonArray([.. predictions.Select(p => (JsonNode?)p.ToJson())])
            : predictions[0].ToJson();
    }

    private List<Prediction> Read(IDataView scored, int rows)
    {
        var predictions = new List<Prediction>(rows);
        var score = scored.Schema[ScoreColumn];
        var predicted = scored.Schema.GetColumnOrNull(PredictedLabelColumn);
        var probability = scored.Schema.GetColumnOrNull(ProbabilityColumn);
        var needed = new[] { (DataViewSchema.Column?)score, predicted, probability }.OfType<DataViewSchema.Column>().ToList();
        using var cursor = scored.GetRowCursor(needed);
        switch (Task)
        {
            case MlTask.Regression:
                var value = cursor.GetGetter<float>(score);
                var s = 0f;
                while (cursor.MoveNext())
                {
                    value(ref s);
                    predictions.Add(new Prediction { Task = Task, Score = Number(s) });
                }

                break;
            case MlTask.Binary:
                var margin = cursor.GetGetter<float>(score);
                var label = cursor.GetGetter<bool>(predicted!.Value);
                var chance = probability is { } p ? cursor.GetGetter<float>(p) : null;
                float m = 0, pr = 0;
                var l = false;
                while (cursor.MoveNext())
                {
                    margin(ref m);
                    label(ref l);
                    chance?.Invoke(ref pr);
                    predictions.Add(new Prediction
                    {
                        Task = Task,
                        Score = Number(m),
                        PredictedLabel = l ? _positive ?? true : _negative ?? false,
                        Probability = chance is null ? null : Number(pr),
                    });
                }

                break;
            default:
                var scores = cursor.GetGetter<VBuffer<float>>(score);
                var name = cursor.GetGetter<ReadOnlyMemory<char>>(predicted!.Value);
                var vector = default(VBuffer<float>);
                var text = default(ReadOnlyMemory<char>);
                while (cursor.MoveNext())
                {
                    scores(ref vector);
                    name(ref text);
                    predictions.Add(new Prediction
                    {
                        Task = Task,
                        PredictedLabel = text.ToString(),
                        Scores = [.. vector.DenseValues().Select(v => Number(v) ?? double.NaN)],
                    });
                }

                break;
        }

        return predictions;
    }

    /// <summary>
    /// The binary label as the data had it: the class names when the schema knows both (its positive class and two
    /// classes), else true/false, so the two outputs always have one type.
    /// </summary>
    private static (object? Positive, object? Negative) BinaryLabels(DatasetSchema schema)
    {
        if (schema.Positive is { } positive && schema.Classes is { Count: 2 } classes && classes.Contains(positive))
        {
            return (positive, classes.First(c => c != positive));
        }

        return (null, null);
    }

    /// <summary>A float as the shortest double that prints like it (0.1f → 0.1, not 0.100000001490116); null when not finite.</summary>
    private static double? Number(float value) =>
        float.IsFinite(value) ? double.Parse(value.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : null;
}
