namespace MlOpsOrchestrator.ML.Features;

/// <summary><c>distinct_count</c>: how many different values the window holds, with a count per value.</summary>
internal sealed class DistinctState(TimeSpan? window) : FeatureState(window)
{
    private readonly TimedDeque _events = new();
    private readonly Dictionary<double, int> _counts = [];

    public override void Add(long ticks, double value)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        _counts[value] = _counts.GetValueOrDefault(value) + 1;
        if (Windowed)
        {
            _events.PushBack(ticks, value);
        }
    }

    public override void Reset()
    {
        _events.Clear();
        _counts.Clear();
    }

    protected override void Evict(long cutoff)
    {
        while (_events.Count > 0 && _events.FirstTicks <= cutoff)
        {
            var value = _events.FirstValue;
            if (--_counts[value] == 0)
            {
                _counts.Remove(value);
            }

            _events.PopFront();
        }
    }

    protected override double Value(long at) => _counts.Count;
}
