using System.Text.Json;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace MlOpsOrchestrator.Integration.Tests.RealDataPipelines;

/// <summary>
/// The shapes <c>mlops predict --json</c> promises: <c>{ score }</c> for regression, <c>{ predictedLabel,
/// probability, score }</c> for binary, <c>{ predictedLabel, scores: [..], classScores: { name: score } }</c> for multiclass.
/// </summary>
internal static class Predictions
{
    /// <summary>Asserts a regression prediction; returns its score.</summary>
    public static double Regression(JsonNode? prediction)
    {
        var score = Number(prediction, "score");
        Assert.That(double.IsFinite(score), Is.True, $"a finite score: {prediction?.ToJsonString()}");
        return score;
    }

    /// <summary>Asserts a binary prediction (a Boolean label that agrees with the score's sign, a probability); returns the label.</summary>
    public static bool Binary(JsonNode? prediction)
    {
        var label = prediction?["predictedLabel"];
        Assert.That(label?.GetValueKind(), Is.EqualTo(JsonValueKind.True).Or.EqualTo(JsonValueKind.False), $"a Boolean predictedLabel: {prediction?.ToJsonString()}");
        var probability = Number(prediction, "probability");
        var score = Number(prediction, "score");
        Assert.That(probability, Is.InRange(0.0, 1.0), $"a probability: {prediction?.ToJsonString()}");
        Assert.That(label!.GetValue<bool>(), Is.EqualTo(score > 0), $"the label follows the score: {prediction?.ToJsonString()}");
        return label.GetValue<bool>();
    }

    /// <summary>Asserts a multiclass prediction (one score per class, the label the best-scored class); returns the label.</summary>
    public static string Multiclass(JsonNode? prediction, IReadOnlyList<string> classes)
    {
        var label = prediction?["predictedLabel"];
        Assert.That(label?.GetValueKind(), Is.EqualTo(JsonValueKind.String), $"a class name as predictedLabel: {prediction?.ToJsonString()}");
        var scores = (prediction!["scores"] as JsonArray ?? throw new AssertionException($"no scores array: {prediction.ToJsonString()}"))
            .Select(s => s!.GetValue<double>()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(label!.GetValue<string>(), Is.AnyOf([.. classes]));
            Assert.That(scores, Has.Count.EqualTo(classes.Count), "one score per class");
            Assert.That(scores, Is.All.InRange(0.0, 1.0));
            Assert.That(scores.Sum(), Is.EqualTo(1.0).Within(1e-3), "the scores are class probabilities");
            Assert.That(classes[scores.IndexOf(scores.Max())], Is.EqualTo(label.GetValue<string>()), "the label is the best-scored class");
            var named = prediction["classScores"] as JsonObject;
            Assert.That(named?.Select(p => p.Key), Is.EqualTo(classes), $"the scores by class name: {prediction.ToJsonString()}");
            Assert.That(named?.Select(p => p.Value!.GetValue<double>()), Is.EqualTo(scores), "the same scores as the array");
        });
        return label!.GetValue<string>();
    }

    private static double Number(JsonNode? node, string property)
    {
        var value = node?[property];
        Assert.That(value?.GetValueKind(), Is.EqualTo(JsonValueKind.Number), $"a number '{property}': {node?.ToJsonString()}");
        return value!.GetValue<double>();
    }
}
