namespace MlOpsOrchestrator.Stores;

/// <summary>
/// One scored request as served: the features sent, what the model answered, which version answered, when and how fast.
/// <c>monitor</c> compares these with the training profile when a pipeline has no fresher data of its own.
/// </summary>
/// <param name="Model">The model's registered name.</param>
/// <param name="Version">The version that produced this answer.</param>
/// <param name="At">When it was scored (UTC).</param>
/// <param name="FeaturesJson">The row as the caller sent it.</param>
/// <param name="PredictionJson">The answer, as returned (or, for a shadow, as it would have been).</param>
/// <param name="LatencyMilliseconds">Time spent on the request until this answer.</param>
/// <param name="Alias">The alias whose version produced this answer (<c>production</c>, <c>canary</c>, <c>shadow</c>, or one named in the request).</param>
/// <param name="PredictionId">
/// The id the caller received with the answer, which feedback (labels that arrive later) names. A shadow answer carries
/// the id of the request it scored next to, so one label judges both versions. Null for records written before ids
/// existed.
/// </param>
/// <param name="Key">The request's routing key when the caller sent one (what makes a canary split sticky), else null.</param>
/// <param name="Shadow">True for an answer that was logged and never returned to the caller (a shadow version's).</param>
public sealed record PredictionRecord(
    string Model,
    int Version,
    DateTimeOffset At,
    string FeaturesJson,
    string PredictionJson,
    double LatencyMilliseconds,
    string Alias = PredictionRecord.DefaultAlias,
    string? PredictionId = null,
    string? Key = null,
    bool Shadow = false)
{
    /// <summary>The alias a request is answered from when it names none.</summary>
    public const string DefaultAlias = "production";
}
