namespace MlOpsOrchestrator.Stores;

/// <summary>
/// One scored request as served: the features sent, what the model answered, which version answered, when and how fast.
/// <c>monitor</c> compares these with the training profile when a pipeline has no fresher data of its own.
/// </summary>
public sealed record PredictionRecord(
    string Model,
    int Version,
    DateTimeOffset At,
    string FeaturesJson,
    string PredictionJson,
    double LatencyMilliseconds);
