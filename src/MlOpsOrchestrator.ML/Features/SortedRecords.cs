namespace MlOpsOrchestrator.ML.Features;

/// <summary>
/// A forward pass over the records of a <see cref="SpillSorter"/> in (entity, time, arrival) order: a k-way merge of its
/// runs; on equal keys the earlier run (earlier arrival) comes first, so the order is the same as one in-memory sort.
/// </summary>
internal sealed class SortedRecords : IDisposable
{
    private readonly SpillSorter.IRecordRun[] _runs;
    private readonly PriorityQueue<int, (int Entity, long Ticks, int Run)> _heap = new();
    private readonly double[] _values;
    private int _pending = -1;

    public SortedRecords(int width, params SpillSorter.IRecordRun[] runs)
    {
        _runs = runs;
        _values = new double[width];
        for (var r = 0; r < runs.Length; r++)
        {
            if (runs[r].Next())
            {
                _heap.Enqueue(r, (runs[r].Entity, runs[r].Ticks, r));
            }
        }
    }

    public int Entity { get; private set; }
    public long Ticks { get; private set; }
    public ReadOnlySpan<double> Values => _values;

    /// <summary>Moves to the next record; false at the end.</summary>
    public bool Next()
    {
        if (_pending >= 0)
        {
            var previous = _runs[_pending];
            if (previous.Next())
            {
                _heap.Enqueue(_pending, (previous.Entity, previous.Ticks, _pending));
            }

            _pending = -1;
        }

        if (!_heap.TryDequeue(out var run, out _))
        {
            return false;
        }

        var current = _runs[run];
        Entity = current.Entity;
        Ticks = current.Ticks;
        current.Values.CopyTo(_values);
        _pending = run;
        return true;
    }

    public void Dispose()
    {
        foreach (var run in _runs)
        {
            run.Dispose();
        }
    }
}
