namespace MlOpsOrchestrator.ML.Features;

/// <summary>
/// <c>last</c>: the value of the newest event at or before the time asked (the later one in the source when two share
/// a time), missing when it is outside the window or older than the view's <c>ttl</c>.
/// </summary>
internal sealed class LastState(TimeSpan? window, TimeSpan? ttl) : FeatureState(window)
{
    private long _ticks;
    private double _value = double.NaN;
    private long? _evicted;

    public override void Add(long ticks, double value)
    {
        if (!double.IsNaN(value))
        {
            (_ticks, _value) = (ticks, value);
        }
    }

    public override void Reset() => (_value, _evicted) = (double.NaN, null);

    protected override void Evict(long cutoff) => _evicted = cutoff;

    protected override double Value(long at)
    {
        if (double.IsNaN(_value) || (_evicted is { } cutoff && _ticks <= cutoff) || (ttl is { } limit && at - _ticks > limit.Ticks))
        {
            return double.NaN;
        }

        return _value;
    }
}
