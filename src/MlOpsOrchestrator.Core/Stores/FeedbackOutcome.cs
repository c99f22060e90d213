namespace MlOpsOrchestrator.Stores;

/// <summary>The result of one label of a batch, in the batch's order.</summary>
/// <param name="Index">The label's position in the batch (0-based).</param>
/// <param name="Status">Accepted, refused as a duplicate, or kept while its prediction is unknown.</param>
/// <param name="PredictionId">The prediction it judges (found by key for a key label), or null when none is known yet.</param>
/// <param name="Reason">Why it is not plainly accepted; null when it is.</param>
public sealed record FeedbackOutcome(int Index, FeedbackStatus Status, string? PredictionId, string? Reason);
