namespace MlOpsOrchestrator.ML.Data.Columns;

/// <summary>
/// The distinct values of a categorical column (or the classes of a label) in order of first appearance, so each
/// row stores a 4-byte code instead of a string. <see cref="Closed"/> when <c>classes:</c> fixed the list.
/// </summary>
internal sealed class CategoryDictionary
{
    private readonly List<string> _values = [];
    private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    public CategoryDictionary(IReadOnlyList<string>? fixedValues = null)
    {
        _bySpan = _codes.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var value in fixedValues ?? [])
        {
            Add(value);
        }

        Closed = fixedValues is not null;
    }

    public bool Closed { get; }

    public IReadOnlyList<string> Values => _values;

    public string this[int code] => _values[code];

    public int Find(ReadOnlySpan<char> value) =>
        _bySpan.TryGetValue(value, out var code) ? code : -1;

    public int Add(string value)
    {
        if (!_codes.TryGetValue(value, out var code))
        {
            code = _values.Count;
            _values.Add(value);
            _codes[value] = code;
        }

        return code;
    }
}
