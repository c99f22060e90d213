namespace MlOpsOrchestrator.Execution;

/// <summary>
/// Materializes a feature view to the online store, as its <c>online: { refresh: CRON }</c> schedule asks: what a
/// scheduled refresh calls, so the scheduler needs no knowledge of sources or aggregations.
/// </summary>
public interface IOnlineFeatureRefresh
{
    /// <summary>Brings the view's online events up to date; a problem is logged, not thrown (the next fire tries again).</summary>
    Task RefreshAsync(string view, CancellationToken ct);
}
