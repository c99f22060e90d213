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
    private bool _started;

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
    public ReadOnlySpan<double> Values => _runs.Length == 1 ? _runs[0].Values : _values;

    /// <summary>Moves to the next record; false at the end.</summary>
    public bool Next()
    {
        if (_runs.Length == 1)
        {
            // One run (a materialized log, a chunk that never spilled): no merge to do.
            if (!_started)
            {
                _started = true;
                return _heap.Count > 0 && Take(_runs[0]);
            }

            return _runs[0].Next() && Take(_runs[0]);
        }

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

    private bool Take(SpillSorter.IRecordRun run)
    {
        Entity = run.Entity;
        Ticks = run.Ticks;
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
