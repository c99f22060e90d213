using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Loading;

/// <summary>YAML path → mark of every node read, so cross-reference rules can point at the exact value.</summary>
internal sealed class MarkIndex
{
    private readonly Dictionary<string, SourceMark> _marks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _fromEnvironment = new(StringComparer.Ordinal);

    /// <summary>YAML paths whose values came from <c>${env:…}</c>, with the variable; they are never printed.</summary>
    public IReadOnlyDictionary<string, string> FromEnvironment => _fromEnvironment;

    public void RecordEnvironment(string path, string variable) => _fromEnvironment.TryAdd(path, variable);

    public void Record(string path, SourceMark mark) => _marks.TryAdd(path, mark);

    /// <summary>The mark of <paramref name="path"/>, else of its nearest recorded parent.</summary>
    public SourceMark Of(string path)
    {
        while (true)
        {
            if (_marks.TryGetValue(path, out var mark))
            {
                return mark;
            }

            var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
            if (cut <= 0)
            {
                return _marks.TryGetValue("", out var root) ? root : new SourceMark(1, 1);
            }

            path = path[..cut];
        }
    }
}
