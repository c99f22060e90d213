using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Loading;

/// <summary>YAML path → mark of every node read, so cross-reference rules can point at the exact value.</summary>
internal sealed class MarkIndex
{
    private readonly Dictionary<string, SourceMark> _marks = new(StringComparer.Ordinal);
    private readonly HashSet<string> _fromEnvironment = new(StringComparer.Ordinal);

    /// <summary>YAML paths whose values came from <c>${env:…}</c>; they are never printed.</summary>
    public IReadOnlySet<string> FromEnvironment => _fromEnvironment;

    public void RecordEnvironment(string path) => _fromEnvironment.Add(path);

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
