namespace MlOpsOrchestrator.Stores;

/// <summary>
/// A label for one earlier prediction, as a caller sends it: by the <see cref="PredictionId"/> the answer carried, or
/// by the request's routing <see cref="Key"/> and the time <see cref="At"/> it was asked (the newest returned
/// prediction with that key at or before that time). <see cref="Label"/> is text as sent: a number for a regression,
/// a class for a classification, parsed when online metrics are computed.
/// </summary>
public sealed record FeedbackLabel(string? PredictionId, string? Key, DateTimeOffset? At, string Label)
{
    public static FeedbackLabel ForPrediction(string predictionId, string label) => new(predictionId, null, null, label);

    public static FeedbackLabel ForKey(string key, DateTimeOffset at, string label) => new(null, key, at, label);
}
