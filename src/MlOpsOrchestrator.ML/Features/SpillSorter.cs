using System.Buffers.Binary;

namespace MlOpsOrchestrator.ML.Features;

/// <summary>
/// Sorts records of (entity, time, <c>width</c> numbers) by entity, then time, then arrival (stable), in bounded
/// memory: records are gathered in a chunk of <c>chunk</c> records; a full chunk is sorted and written to a temporary
/// file (a run), and reading merges the runs. Memory is one chunk plus one record per run, whatever the input size;
/// the temporary files are deleted on <see cref="Dispose"/>.
/// </summary>
internal sealed class SpillSorter : IDisposable
{
    private readonly int _width;
    private readonly int _chunk;
    private readonly string _folder;
    private readonly List<string> _runs = [];
    private int[] _entities;
    private long[] _ticks;
    private double[] _values;
    private int _count;

    public SpillSorter(int width, int chunk = 1 << 20, string? folder = null)
    {
        _width = width;
        _chunk = chunk;
        _folder = folder ?? Path.GetTempPath();
        var initial = Math.Min(chunk, 1024);
        _entities = new int[initial];
        _ticks = new long[initial];
        _values = new double[initial * width];
    }

    /// <summary>Records added so far.</summary>
    public long Count { get; private set; }

    /// <summary>Runs written to disk so far (0 while everything fits in one chunk).</summary>
    public int Spills => _runs.Count;

    public void Add(int entity, long ticks, ReadOnlySpan<double> values)
    {
        if (_count == _chunk)
        {
            Spill();
        }

        if (_count == _entities.Length)
        {
            var size = Math.Min(_chunk, _entities.Length * 2);
            Array.Resize(ref _entities, size);
            Array.Resize(ref _ticks, size);
            Array.Resize(ref _values, size * _width);
        }

        _entities[_count] = entity;
        _ticks[_count] = ticks;
        values.CopyTo(_values.AsSpan(_count * _width, _width));
        _count++;
        Count++;
    }

    /// <summary>The records in order. Call once, after the last <see cref="Add"/>.</summary>
    public SortedRecords Read()
    {
        var order = Order();
        if (_runs.Count == 0)
        {
            return new SortedRecords(_width, new MemoryRun(this, order));
        }

        Write(order);
        ReleaseChunk();
        return new SortedRecords(_width, [.. _runs.Select(r => (IRecordRun)new FileRunReader(r, _width))]);
    }

    private void Spill()
    {
        Write(Order());
        _count = 0;
    }

    private int[] Order()
    {
        var keys = new SortKey[_count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = new SortKey(_entities[i], _ticks[i], i);
        }

        Array.Sort(keys);
        var order = new int[_count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = keys[i].Index;
        }

        return order;
    }

    /// <summary>(entity, time, arrival): a struct the generic sort compares without a delegate call.</summary>
    private readonly record struct SortKey(int Entity, long Ticks, int Index) : IComparable<SortKey>
    {
        public int CompareTo(SortKey other)
        {
            if (Entity != other.Entity)
            {
                return Entity < other.Entity ? -1 : 1;
            }

            if (Ticks != other.Ticks)
            {
                return Ticks < other.Ticks ? -1 : 1;
            }

            return Index.CompareTo(other.Index);
        }
    }

    private void Write(int[] order)
    {
        var path = Path.Combine(_folder, $"mlops-features-{Guid.NewGuid():N}.run");
        _runs.Add(path);
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        using var writer = new BinaryWriter(stream);
        foreach (var i in order)
        {
            WriteRecord(writer, _entities[i], _ticks[i], _values.AsSpan(i * _width, _width));
        }
    }

    /// <summary>Writes one record in the format <see cref="FileRunReader"/> reads.</summary>
    public static void WriteRecord(BinaryWriter writer, int entity, long ticks, ReadOnlySpan<double> values)
    {
        writer.Write(entity);
        writer.Write(ticks);
        foreach (var value in values)
        {
            writer.Write(value);
        }
    }

    private void ReleaseChunk()
    {
        _entities = [];
        _ticks = [];
        _values = [];
        _count = 0;
    }

    public void Dispose()
    {
        foreach (var run in _runs)
        {
            try
            {
                File.Delete(run);
            }
            catch (IOException)
            {
                // A run still open by a reader on another platform; the temp folder's cleanup takes it.
            }
        }

        _runs.Clear();
    }

    /// <summary>One sorted sequence of records.</summary>
    internal interface IRecordRun : IDisposable
    {
        int Entity { get; }
        long Ticks { get; }
        ReadOnlySpan<double> Values { get; }

        bool Next();
    }

    private sealed class MemoryRun(SpillSorter owner, int[] order) : IRecordRun
    {
        private int _at = -1;

        public int Entity => owner._entities[order[_at]];
        public long Ticks => owner._ticks[order[_at]];
        public ReadOnlySpan<double> Values => owner._values.AsSpan(order[_at] * owner._width, owner._width);

        public bool Next() => ++_at < order.Length;

        public void Dispose()
        {
        }
    }

    /// <summary>A run in the record format of this class, e.g. a materialized event log, read in blocks.</summary>
    internal sealed class FileRunReader : IRecordRun
    {
        private readonly FileStream _stream;
        private readonly double[] _values;
        private readonly byte[] _buffer;
        private readonly int _size;
        private int _at;
        private int _filled;

        public FileRunReader(string path, int width)
        {
            _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            _values = new double[width];
            _size = 12 + (8 * width);
            _buffer = new byte[_size * Math.Max(1, (1 << 20) / _size)];
        }

        public int Entity { get; private set; }
        public long Ticks { get; private set; }
        public ReadOnlySpan<double> Values => _values;

        public bool Next()
        {
            if (_filled - _at < _size && !Fill())
            {
                return false;
            }

            var record = _buffer.AsSpan(_at, _size);
            Entity = BinaryPrimitives.ReadInt32LittleEndian(record);
            Ticks = BinaryPrimitives.ReadInt64LittleEndian(record[4..]);
            for (var v = 0; v < _values.Length; v++)
            {
                _values[v] = BinaryPrimitives.ReadDoubleLittleEndian(record[(12 + (8 * v))..]);
            }

            _at += _size;
            return true;
        }

        private bool Fill()
        {
            var left = _filled - _at;
            Array.Copy(_buffer, _at, _buffer, 0, left);
            (_at, _filled) = (0, left);
            int read;
            while (_filled < _buffer.Length && (read = _stream.Read(_buffer, _filled, _buffer.Length - _filled)) > 0)
            {
                _filled += read;
            }

            return _filled >= _size;
        }

        public void Dispose() => _stream.Dispose();
    }
}
