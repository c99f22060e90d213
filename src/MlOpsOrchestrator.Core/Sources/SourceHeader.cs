using MlOpsOrchestrator.Text;

namespace MlOpsOrchestrator.Sources;

/// <summary>Column names from a header row or a result set, as every source type names them.</summary>
public static class SourceHeader
{
    /// <summary>
    /// The names, an empty one becoming <c>column_N</c>; null, with the <paramref name="problem"/>, when a name
    /// repeats, since columns are found by name.
    /// </summary>
    public static IReadOnlyList<string>? Names(IReadOnlyList<string> fields, string displayName, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var names = fields.Select((name, i) => name.Length == 0 ? $"column_{i}" : name).ToList();
        var twice = names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (twice.Count > 0)
        {
            problem = $"{displayName}: the header names {Echo.Quoted(twice)} more than once; column names must be unique";
            return null;
        }

        problem = null;
        return names;
    }
}
