namespace MlOpsOrchestrator.ML.Data.Columns;

/// <summary>
/// A growable array of one column's values, no object per row. The reader reserves the expected number of rows once
/// it can estimate it (<see cref="Reserve"/>), so a million-row column is allocated about once instead of doubling
/// through the large object heap; past the reservation it grows by half.
/// </summary>
internal sealed class ColumnBuffer<T>
{
    private T[] _items = new T[1024];

    public int Count { get; private set; }

    public T this[int index]
    {
        get => _items[index];
        set => _items[index] = value;
    }

    public void Add(T value)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length + Math.Max(_items.Length / 2, 1024));
        }

        _items[Count++] = value;
    }

    /// <summary>Makes room for <paramref name="capacity"/> values in all.</summary>
    public void Reserve(int capacity)
    {
        if (capacity > _items.Length)
        {
            Array.Resize(ref _items, capacity);
        }
    }

    public ReadOnlySpan<T> AsSpan() => _items.AsSpan(0, Count);
}
