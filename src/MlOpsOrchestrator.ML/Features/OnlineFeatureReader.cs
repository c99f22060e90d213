using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Features;

/// <summary>
/// Computes one entity's features of a view at request time from its events in the online store, feeding them to the
/// <see cref="ViewAggregator"/> the training join uses: a value served is computed by the very code that computed the
/// value the model was trained on. Events after the time asked never count, as offline.
/// </summary>
public sealed class OnlineFeatureReader(IOnlineFeatureStore store)
{
    /// <summary>
    /// Null with the problem when the store has nothing of the view, or only of another definition of it (a changed
    /// file not materialized since): its values would not be the view's.
    /// </summary>
    public async Task<(OnlineViewState? State, string? Problem)> StateAsync(FeatureViewSpec view, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(view);
        var state = await store.GetStateAsync(view.Name, ct);
        return state switch
        {
            null => (null, $"feature view '{view.Name}' has no online data yet; run 'mlops features materialize {view.Name}'{Schedule(view)}"),
            _ when state.DefinitionHash != view.Hash => (null, $"the online data of feature view '{view.Name}' is of an earlier definition of the view; run 'mlops features materialize {view.Name}'{Schedule(view)}"),
            _ => (state, null),
        };
    }

    /// <summary>The <paramref name="features"/> of the entity <paramref name="entity"/> (its key columns' values, in the view's order) at <paramref name="at"/>.</summary>
    public async Task<OnlineValues> ValuesAsync(FeatureViewSpec view, IReadOnlyList<string> features, IReadOnlyList<string> entity, DateTimeOffset at, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(entity);
        var events = await store.EventsAsync(view.Name, string.Join(EntityIds.Separator, entity), ct);
        var aggregator = new ViewAggregator(view, features);
        var ticks = at.UtcTicks;
        int used = 0;
        long? newest = null;
        foreach (var e in events)
        {
            if (e.Ticks <= ticks)
            {
                aggregator.Add(e.Ticks, e.Values.Span);
                (used, newest) = (used + 1, e.Ticks);
            }
        }

        var values = new double[features.Count];
        aggregator.ValuesAt(ticks, values);
        var byName = new Dictionary<string, double?>(StringComparer.Ordinal);
        for (var i = 0; i < values.Length; i++)
        {
            byName[features[i]] = double.IsNaN(values[i]) ? null : values[i];
        }

        return new OnlineValues(byName, used, newest is { } n ? new DateTimeOffset(n, TimeSpan.Zero) : null);
    }

    private static string Schedule(FeatureViewSpec view) =>
        view.OnlineRefresh is { } cron ? $", or wait for its refresh schedule (\"{cron}\") on serve" : ", or give the view an online refresh schedule (online: { refresh: CRON })";
}
