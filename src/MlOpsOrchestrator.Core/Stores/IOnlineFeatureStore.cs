namespace MlOpsOrchestrator.Stores;

/// <summary>
/// The online half of the feature store: per feature view, the events a request "now" can still use (those inside the
/// view's longest window or ttl) and the view's watermark. Serving reads one entity's events and computes its features
/// with the same aggregation code as the training join, so online and offline values cannot differ in how they are
/// computed; materialization appends what is new since the watermark.
/// </summary>
public interface IOnlineFeatureStore
{
    /// <summary>The view's watermark and counts; null when it was never materialized online.</summary>
    Task<OnlineViewState?> GetStateAsync(string view, CancellationToken ct);

    /// <summary>One entity's events of the view, in time order (equal times in the order they were appended).</summary>
    Task<IReadOnlyList<OnlineEvent>> EventsAsync(string view, string entity, CancellationToken ct);

    /// <summary>
    /// Writes a refresh in one transaction: (for a full one) drops the view's events, appends the new ones, drops the
    /// events no window can use any more and stores the new state. Returns the stored state, or null when another
    /// refresh was written since <see cref="OnlineRefresh.ExpectedGeneration"/> was read (nothing is written then).
    /// </summary>
    Task<OnlineViewState?> WriteAsync(OnlineRefresh refresh, CancellationToken ct);
}
