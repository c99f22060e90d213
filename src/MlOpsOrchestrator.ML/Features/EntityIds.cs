namespace MlOpsOrchestrator.ML.Features;

/// <summary>Entity keys (one or several columns joined) to dense ids, in order of first appearance.</summary>
internal sealed class EntityIds
{
    /// <summary>Joins the parts of a key of several columns; a character no CSV value holds in practice.</summary>
    public const char Separator = '\u001f';

    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<string> _keys = [];
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public EntityIds() => _lookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();

    public EntityIds(IEnumerable<string> keys)
        : this()
    {
        foreach (var key in keys)
        {
            Id(key);
        }
    }

    public IReadOnlyList<string> Keys => _keys;

    /// <summary>The id of <paramref name="key"/>, allocating a string only for a key not seen before.</summary>
    public int Id(ReadOnlySpan<char> key)
    {
        if (_lookup.TryGetValue(key, out var id))
        {
            return id;
        }

        return Id(key.ToString());
    }

    public int? Find(ReadOnlySpan<char> key) => _lookup.TryGetValue(key, out var id) ? id : null;

    public int Id(string key)
    {
        if (!_ids.TryGetValue(key, out var id))
        {
            id = _keys.Count;
            _ids.Add(key, id);
            _keys.Add(key);
        }

        return id;
    }

    public int? Find(string key) => _ids.TryGetValue(key, out var id) ? id : null;
}
