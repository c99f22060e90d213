using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Data.Profiling;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Serving;

/// <summary>
/// Scores JSON input with one registered model version: the saved chain applies exactly the training featurization.
/// Thread-safe: the row mapper, input row and output getters are built once per concurrent caller and pooled
/// (<see cref="ScoringSession"/>, what ML.NET's <c>PredictionEngine</c> holds, without its compile-time row type), so a
/// prediction builds no schema, data view or cursor and one instance serves any number of concurrent requests.
/// </summary>
public sealed class ModelScorer
{
    private static readonly object True = true;
    private static readonly object False = false;

    private readonly ITransformer _model;
    private readonly ScoringInput _input;
    private readonly object _positive;
    private readonly object _negative;
    private readonly ConcurrentBag<ScoringSession> _sessions = [];

    private ModelScorer(ITransformer model, DataViewSchema modelInput, DatasetSchema schema, MlTask task)
    {
        _model = model;
        Schema = schema;
        Task = task;
        _input = new ScoringInput(schema, modelInput);
        (_positive, _negative) = BinaryLabels(schema);
        _sessions.Add(NewSession()); // Built while loading, so the first request does not pay for it.
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
        if (!version.Properties.TryGetValue(ModelProperties.Task, out var taskName) || !TaskNames.TryParse(taskName, out var task))
        {
            throw new InvalidDataException($"model {label} records no valid task (binary, multiclass or regression)");
        }

        if (!version.Properties.TryGetValue(ModelProperties.Schema, out var schemaPath) || !artifacts.Exists(schemaPath))
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
        var count = ScoringInput.Count(input);
        if (count == 0)
        {
            return [];
        }

        var session = _sessions.TryTake(out var pooled) ? pooled : NewSession();
        try
        {
            List<string>? problems = null;
            if (input.ValueKind == JsonValueKind.Object)
            {
                _input.Read(input, -1, session.Input, session.Values, ref problems);
                return problems is null ? [session.Predict()] : throw ScoringInput.Failure(problems);
            }

            // Items are scored as they are read; after the first problem only reading goes on, to list every problem.
            var predictions = new Prediction[count];
            var index = 0;
            foreach (var item in input.EnumerateArray())
            {
                _input.Read(item, index, session.Input, session.Values, ref problems);
                if (problems is null)
                {
                    predictions[index] = session.Predict();
                }

                index++;
            }

            return problems is null ? predictions : throw ScoringInput.Failure(problems);
        }
        finally
        {
            session.Release();
            _sessions.Add(session);
        }
    }

    /// <summary>As <see cref="Score"/>, shaped like the input: an object for an object, an array for an array.</summary>
    public JsonNode ScoreToJson(JsonElement input)
    {
        var predictions = Score(input);
        return input.ValueKind == JsonValueKind.Array
            ? new JsonArray([.. predictions.Select(p => (JsonNode?)p.ToJson())])
            : predictions[0].ToJson();
    }

    private ScoringSession NewSession() => new(_model, _input.Schema, Task, _positive, _negative, _input.NewValueBuffer(), Schema.Classes);

    /// <summary>
    /// The binary label as the data had it: the class names when the schema knows both (its positive class and two
    /// classes), else true/false, so the two outputs always have one type.
    /// </summary>
    private static (object Positive, object Negative) BinaryLabels(DatasetSchema schema)
    {
        if (schema.Positive is { } positive && schema.Classes is { Count: 2 } classes && classes.Contains(positive))
        {
            return (positive, classes.First(c => c != positive));
        }

        return (True, False);
    }

}
