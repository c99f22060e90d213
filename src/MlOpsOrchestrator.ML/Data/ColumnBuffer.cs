namespace MlOpsOrchestrator.ML.Data;

/// <summary>A growable array of one column's values: one allocation per doubling, no object per row.</summary>
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
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count++] = value;
    }

    public ReadOnlySpan<T> AsSpan() => _items.AsSpan(0, Count);
}
