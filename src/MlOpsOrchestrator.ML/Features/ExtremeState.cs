namespace MlOpsOrchestrator.ML.Features;

/// <summary>
/// <c>min</c>/<c>max</c> of the window's values with a monotonic deque: a value that a newer, better one outranks can
/// never be the answer again and is dropped, so each event is pushed and popped once.
/// </summary>
internal sealed class ExtremeState(TimeSpan? window, bool max) : FeatureState(window)
{
    private readonly TimedDeque _candidates = new();

    public override void Add(long ticks, double value)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        while (_candidates.Count > 0 && (max ? _candidates.LastValue <= value : _candidates.LastValue >= value))
        {
            _candidates.PopBack();
        }

        _candidates.PushBack(ticks, value);
    }

    public override void Reset() => _candidates.Clear();

    protected override void Evict(long cutoff)
    {
        while (_candidates.Count > 0 && _candidates.FirstTicks <= cutoff)
        {
            _candidates.PopFront();
        }
    }

    protected override double Value(long at) => _candidates.Count == 0 ? double.NaN : _candidates.FirstValue;
}
