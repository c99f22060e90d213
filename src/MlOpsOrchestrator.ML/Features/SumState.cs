namespace MlOpsOrchestrator.ML.Features;

/// <summary>
/// <c>sum</c> (0 when no event) and <c>mean</c> (missing when no event) of the window's values. The sum is always the
/// left-to-right sum of the window's values in time order, however the window got there (after an event left the
/// window it is summed again): so the training join, which slides the window along an entity's label rows, and an
/// online lookup, which sees only the recent events, compute the same bits, not just nearly the same number.
/// </summary>
internal sealed class SumState(TimeSpan? window, bool mean) : FeatureState(window)
{
    private readonly TimedDeque _events = new();
    private double _sum;
    private long _count;
    private bool _evicted;

    public override void Add(long ticks, double value)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        _sum += value;
        _count++;
        if (Windowed)
        {
            _events.PushBack(ticks, value);
        }
    }

    public override void Reset()
    {
        _events.Clear();
        (_sum, _count, _evicted) = (0, 0, false);
    }

    protected override void Evict(long cutoff)
    {
        while (_events.Count > 0 && _events.FirstTicks <= cutoff)
        {
            _count--;
            _events.PopFront();
            _evicted = true;
        }
    }

    protected override double Value(long at)
    {
        if (_evicted)
        {
            _sum = _events.Sum();
            _evicted = false;
        }

        return mean ? (_count == 0 ? double.NaN : _sum / _count) : _sum;
    }
}
