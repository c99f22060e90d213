namespace MlOpsOrchestrator.Stores;

/// <summary>
/// Labels fed back for earlier predictions, and the two reads online metrics are computed from. Nothing sent is lost
/// silently: a label for a prediction not (yet) in the log is stored and reported <see cref="FeedbackStatus.Unknown"/>,
/// and counts as soon as its prediction is logged (a late label); a second label for a prediction is refused and
/// reported <see cref="FeedbackStatus.Duplicate"/>, the first one stands.
/// </summary>
public interface IFeedbackStore
{
    /// <summary>
    /// Stores a batch of labels for <paramref name="model"/> in one transaction and says what became of each, in order.
    /// A key label is matched to the newest returned (not shadow) prediction with that key at or before its time;
    /// earlier key labels still waiting are matched again on every call.
    /// </summary>
    Task<IReadOnlyList<FeedbackOutcome>> AddAsync(
        string model, IReadOnlyList<FeedbackLabel> labels, string by, DateTimeOffset receivedAt, CancellationToken ct);

    /// <summary>
    /// Every answer of <paramref name="model"/> logged at or after <paramref name="since"/> that has a label, joined in
    /// the database (shadow answers included: the shadow's and production's rows of one request share the label).
    /// </summary>
    IAsyncEnumerable<LabelledPrediction> ReadLabelledAsync(string model, DateTimeOffset since, CancellationToken ct);

    /// <summary>Every answer of <paramref name="model"/> logged at or after <paramref name="since"/>, labelled or not.</summary>
    IAsyncEnumerable<ServedPrediction> ReadServedAsync(string model, DateTimeOffset since, CancellationToken ct);

    /// <summary>
    /// Matches the key labels of <paramref name="model"/> still waiting for their prediction against the log as it is
    /// now (predictions are logged in batches, so a label may arrive first); online metrics call it before they read.
    /// </summary>
    Task MatchWaitingAsync(string model, CancellationToken ct);

    /// <summary>Labels of <paramref name="model"/> stored whose prediction is not in the log (yet).</summary>
    Task<int> CountWaitingAsync(string model, CancellationToken ct);
}
