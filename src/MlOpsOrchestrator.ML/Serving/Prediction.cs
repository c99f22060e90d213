using System.Text.Json.Nodes;
using MlOpsOrchestrator.Catalogs;

namespace MlOpsOrchestrator.ML.Serving;

/// <summary>
/// One scored row. <see cref="ToJson"/> gives the stable shape of <c>mlops predict</c> and the predict API:
/// regression <c>{ "score" }</c>, binary <c>{ "predictedLabel", "probability", "score" }</c> (probability null for
/// trainers without one), multiclass <c>{ "predictedLabel", "scores": [..] }</c> with scores in class order.
/// </summary>
public sealed record Prediction
{
    public required MlTask Task { get; init; }

    /// <summary>Regression: the prediction. Binary: the raw margin. Null when the model produced no finite number.</summary>
    public double? Score { get; init; }

    /// <summary>Binary: the class name when the data's classes are strings, else true/false. Multiclass: the class name.</summary>
    public object? PredictedLabel { get; init; }

    /// <summary>Binary, calibrated trainers only: the probability of the positive class.</summary>
    public double? Probability { get; init; }

    /// <summary>Multiclass: one score per class, in class order.</summary>
    public IReadOnlyList<double>? Scores { get; init; }

    public JsonObject ToJson() => Task switch
    {
        MlTask.Regression => new JsonObject { ["score"] = Score },
        MlTask.Binary => new JsonObject
        {
            ["predictedLabel"] = PredictedLabel is bool flag ? JsonValue.Create(flag) : JsonValue.Create(PredictedLabel as string),
            ["probability"] = Probability,
            ["score"] = Score,
        },
        _ => new JsonObject
        {
            ["predictedLabel"] = PredictedLabel as string,
            ["scores"] = new JsonArray([.. (Scores ?? []).Select(s => double.IsFinite(s) ? (JsonNode?)JsonValue.Create(s) : null)]),
        },
    };
}
