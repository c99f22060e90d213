namespace MlOpsOrchestrator.ML.Features;

/// <summary><c>sum</c> (0 when no event) and <c>mean</c> (missing when no event) of the window's values.</summary>
internal sealed class SumState(TimeSpan? window, bool mean) : FeatureState(window)
{
    private readonly TimedDeque _events = new();
    private double _sum;
    private long _count;

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
        (_sum, _count) = (0, 0);
    }

    protected override void Evict(long cutoff)
    {
        while (_events.Count > 0 && _events.FirstTicks <= cutoff)
        {
            _sum -= _events.FirstValue;
            _count--;
            _events.PopFront();
        }

        if (_count == 0)
        {
            _sum = 0;
        }
    }

    protected override double Value(long at) => mean ? (_count == 0 ? double.NaN : _sum / _count) : _sum;
}
