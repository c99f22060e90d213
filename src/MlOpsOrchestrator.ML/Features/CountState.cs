namespace MlOpsOrchestrator.ML.Features;

/// <summary><c>count</c>: the events in the window (0 when none).</summary>
internal sealed class CountState(TimeSpan? window) : FeatureState(window)
{
    private readonly Queue<long> _events = new();
    private long _count;

    public override void Add(long ticks, double value)
    {
        _count++;
        if (Windowed)
        {
            _events.Enqueue(ticks);
        }
    }

    public override void Reset()
    {
        _events.Clear();
        _count = 0;
    }

    protected override void Evict(long cutoff)
    {
        while (_events.Count > 0 && _events.Peek() <= cutoff)
        {
            _events.Dequeue();
            _count--;
        }
    }

    protected override double Value(long at) => _count;
}
