using System.Text.Json.Nodes;
using MlOpsOrchestrator.Catalogs;

namespace MlOpsOrchestrator.ML.Serving;

/// <summary>
/// One scored row. <see cref="ToJson"/> gives the stable shape of <c>mlops predict</c> and the predict API:
/// regression <c>{ "score" }</c>, binary <c>{ "predictedLabel", "probability", "score" }</c> (probability null for
/// trainers without one), multiclass <c>{ "predictedLabel", "scores": [..], "classScores": { "setosa": 0.95, .. } }</c>:
/// the scores in class order, and the same scores keyed by class name.
/// </summary>
public sealed record Prediction
{
    private readonly float _score = float.NaN;
    private readonly float _probability = float.NaN;

    public required MlTask Task { get; init; }

    /// <summary>Regression: the prediction. Binary: the raw margin. Null when the model produced no finite number.</summary>
    public double? Score
    {
        get => ScoringSession.Number(_score);
        init => _score = value is { } v ? (float)v : float.NaN;
    }

    /// <summary>Binary: the class name when the data's classes are strings, else true/false. Multiclass: the class name.</summary>
    public object? PredictedLabel { get; init; }

    /// <summary>Binary, calibrated trainers only: the probability of the positive class.</summary>
    public double? Probability
    {
        get => ScoringSession.Number(_probability);
        init => _probability = value is { } v ? (float)v : float.NaN;
    }

    /// <summary>Multiclass: one score per class, in class order.</summary>
    public IReadOnlyList<double>? Scores { get; init; }

    /// <summary>Multiclass: the class of each of <see cref="Scores"/> (the label's values the model was trained with); null when unknown.</summary>
    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>Multiclass: each class's score by name; null without <see cref="Classes"/>.</summary>
    public IReadOnlyDictionary<string, double>? ClassScores =>
        Classes is { } classes && Scores is { } scores && classes.Count == scores.Count
            ? classes.Zip(scores).GroupBy(p => p.First, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Second, StringComparer.Ordinal)
            : null;

    /// <summary>
    /// The model's own single-precision outputs, kept as they are: turning them into the shortest double that prints
    /// like them (<see cref="Score"/>, <see cref="Probability"/>, <see cref="ToJson"/>) is left to whoever reads them.
    /// </summary>
    internal static Prediction Of(MlTask task, float score, object? label = null, float probability = float.NaN) =>
        new(task, score, label, probability);

    [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
    private Prediction(MlTask task, float score, object? label, float probability)
    {
        Task = task;
        _score = score;
        PredictedLabel = label;
        _probability = probability;
    }

    public Prediction()
    {
    }

    public JsonObject ToJson() => Task switch
    {
        MlTask.Regression => new JsonObject { ["score"] = Json(_score) },
        MlTask.Binary => new JsonObject
        {
            ["predictedLabel"] = PredictedLabel is bool flag ? JsonValue.Create(flag) : JsonValue.Create(PredictedLabel as string),
            ["probability"] = Json(_probability),
            ["score"] = Json(_score),
        },
        _ => new JsonObject
        {
            ["predictedLabel"] = PredictedLabel as string,
            ["scores"] = new JsonArray([.. (Scores ?? []).Select(s => double.IsFinite(s) ? (JsonNode?)JsonValue.Create(s) : null)]),
            ["classScores"] = ClassScores is { } named
                ? new JsonObject(named.Select(p => KeyValuePair.Create(p.Key, double.IsFinite(p.Value) ? (JsonNode?)JsonValue.Create(p.Value) : null)))
                : null,
        },
    };

    /// <summary>As a double node (what readers of the node expect), printing like the float.</summary>
    private static JsonValue? Json(float value) => ScoringSession.Number(value) is { } number ? JsonValue.Create(number) : null;
}
