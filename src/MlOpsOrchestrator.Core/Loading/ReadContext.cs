namespace MlOpsOrchestrator.Loading;

/// <summary>What readers of one file share: where errors go, where marks go, and how a mapping is opened.</summary>
internal sealed class ReadContext(ErrorSink errors, MarkIndex marks)
{
    public ErrorSink Errors => errors;
    public MarkIndex Marks => marks;

    /// <summary>
    /// Opens <paramref name="node"/> as a mapping that may hold only <paramref name="allowed"/> keys. Unknown and repeated
    /// keys are errors: a typo such as <c>neds:</c> must never silently drop a dependency. Null allows any key (trainer
    /// options, checked against the trainer later).
    /// </summary>
    public Fields? Open(YNode? node, string path, IReadOnlyCollection<string>? allowed, string what)
    {
        if (node is null)
        {
            return null;
        }

        marks.Record(path, node.Mark);
        if (node is not YMapping mapping)
        {
            errors.Add(node, path, $"expected {what} as a mapping (key: value lines), got {node.Describe()}");
            return null;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, _) in mapping.Entries)
        {
            var keyPath = path.Length == 0 ? key.Value : $"{path}.{key.Value}";
            if (!seen.Add(key.Value))
            {
                errors.Add(key, keyPath, $"duplicate key '{key.Value}'; a key may appear once in {Where(path)}");
            }
            else if (allowed is not null && !allowed.Contains(key.Value))
            {
                errors.Add(key, keyPath, $"unknown key '{key.Value}' in {Where(path)}{Suggest.Hint(key.Value, allowed)}");
            }
        }

        return new Fields(mapping, path, errors, marks);
    }

    private static string Where(string path) => path.Length == 0 ? "the pipeline" : $"'{path}'";
}
