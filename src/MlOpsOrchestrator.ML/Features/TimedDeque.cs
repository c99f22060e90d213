namespace MlOpsOrchestrator.ML.Features;

/// <summary>A double-ended queue of (time, value) on a growing ring buffer: the events inside a feature's window.</summary>
internal sealed class TimedDeque
{
    private long[] _ticks = new long[16];
    private double[] _values = new double[16];
    private int _head;

    public int Count { get; private set; }

    public long FirstTicks => _ticks[_head];
    public double FirstValue => _values[_head];
    public double LastValue => _values[(_head + Count - 1) % _values.Length];

    public void PushBack(long ticks, double value)
    {
        if (Count == _ticks.Length)
        {
            Grow();
        }

        var at = (_head + Count) % _ticks.Length;
        _ticks[at] = ticks;
        _values[at] = value;
        Count++;
    }

    public void PopFront()
    {
        _head = (_head + 1) % _ticks.Length;
        Count--;
    }

    public void PopBack() => Count--;

    public void Clear() => (_head, Count) = (0, 0);

    /// <summary>The values added left to right, oldest first.</summary>
    public double Sum()
    {
        var sum = 0.0;
        for (var i = 0; i < Count; i++)
        {
            sum += _values[(_head + i) % _values.Length];
        }

        return sum;
    }

    private void Grow()
    {
        var ticks = new long[_ticks.Length * 2];
        var values = new double[_values.Length * 2];
        for (var i = 0; i < Count; i++)
        {
            ticks[i] = _ticks[(_head + i) % _ticks.Length];
            values[i] = _values[(_head + i) % _values.Length];
        }

        (_ticks, _values, _head) = (ticks, values, 0);
    }
}
