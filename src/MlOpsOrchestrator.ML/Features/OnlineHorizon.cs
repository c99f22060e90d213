using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Features;

/// <summary>
/// How far back a request "now" can still use a view's events: the longest window, or <c>ttl</c> for a <c>last</c>
/// without a window. Null when some feature looks back without limit (a feature without a window, a <c>last</c>
/// without a window and a ttl): then every event is kept.
/// </summary>
internal static class OnlineHorizon
{
    public static long? Ticks(FeatureViewSpec view)
    {
        ArgumentNullException.ThrowIfNull(view);
        long longest = 0;
        foreach (var feature in view.Features)
        {
            // A window counts events with now - window < time; ttl keeps a 'last' with now - time <= ttl, one tick more.
            long? reach = (feature.Window, feature.Aggregation == FeatureAggregation.Last ? view.Ttl : null) switch
            {
                ({ } window, { } ttl) => Math.Min(window.Ticks, ttl.Ticks + 1),
                ({ } window, null) => window.Ticks,
                (null, { } ttl) => ttl.Ticks + 1,
                _ => null,
            };
            if (reach is not { } ticks)
            {
                return null;
            }

            longest = Math.Max(longest, ticks);
        }

        return longest;
    }
}
