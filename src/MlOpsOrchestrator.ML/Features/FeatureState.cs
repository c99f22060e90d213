using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Features;

/// <summary>
/// The running value of one feature for one entity: events are added in time order, and the value is asked at
/// non-decreasing times; the window's older events are dropped as the time moves on, so memory is bounded by the
/// events of one entity in one window. A missing value (NaN) is not an event of the feature, except for <c>count</c>.
/// </summary>
internal abstract class FeatureState(TimeSpan? window)
{
    private readonly long _window = window?.Ticks ?? 0;

    protected bool Windowed { get; } = window is not null;

    public static FeatureState Create(FeatureSpec feature, TimeSpan? ttl) => feature.Aggregation switch
    {
        FeatureAggregation.Count => new CountState(feature.Window),
        FeatureAggregation.Sum => new SumState(feature.Window, mean: false),
        FeatureAggregation.Mean => new SumState(feature.Window, mean: true),
        FeatureAggregation.Min => new ExtremeState(feature.Window, max: false),
        FeatureAggregation.Max => new ExtremeState(feature.Window, max: true),
        FeatureAggregation.DistinctCount => new DistinctState(feature.Window),
        _ => new LastState(feature.Window, ttl),
    };

    public abstract void Add(long ticks, double value);

    /// <summary>The value over the events with <c>at - window &lt; time &lt;= at</c> that were added.</summary>
    public double ValueAt(long at)
    {
        if (Windowed)
        {
            Evict(at - _window);
        }

        return Value(at);
    }

    public abstract void Reset();

    /// <summary>Drops the events at or before <paramref name="cutoff"/>.</summary>
    protected abstract void Evict(long cutoff);

    protected abstract double Value(long at);
}
