using System.Globalization;
using System.Text.Json.Nodes;

namespace MlOpsOrchestrator.Integration.Tests.RealDataPipelines;

/// <summary>
/// Rows of a real dataset file as a client would send them to <c>mlops predict</c>: field text by column name, and
/// from it a JSON object. The datasets have no quoting, so a plain split is exact; a BOM and the padding of the
/// Adult files are removed, as the product's reader does.
/// </summary>
internal static class RealRows
{
    /// <summary>The data rows of <paramref name="path"/>, keyed by the header's names, or by <paramref name="names"/> for a file without one.</summary>
    public static List<Dictionary<string, string>> Read(string path, char separator, IReadOnlyList<string>? names = null)
    {
        var lines = File.ReadLines(path).Select(l => l.TrimStart('\uFEFF')).Where(l => l.Trim().Length > 0).ToList();
        var columns = names ?? Split(lines[0], separator);
        return lines.Skip(names is null ? 1 : 0)
            .Select(line => Split(line, separator))
            .Select(fields => fields.Count == columns.Count
                ? columns.Zip(fields).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal)
                : throw new InvalidDataException($"{path}: {fields.Count} fields where the header has {columns.Count}"))
            .ToList();
    }

    /// <summary>
    /// The request for one row: <paramref name="text"/> columns as JSON strings, exactly as the file writes them; every
    /// other column as a JSON number; <paramref name="leaveOut"/> columns (the label, ignored columns) not sent.
    /// </summary>
    public static JsonObject Request(IReadOnlyDictionary<string, string> row, IEnumerable<string> text, IEnumerable<string> leaveOut)
    {
        var texts = text.ToHashSet(StringComparer.Ordinal);
        var skipped = leaveOut.ToHashSet(StringComparer.Ordinal);
        var request = new JsonObject();
        foreach (var (name, value) in row.Where(p => !skipped.Contains(p.Key)))
        {
            request[name] = texts.Contains(name) ? JsonValue.Create(value) : JsonValue.Create(Number(value));
        }

        return request;
    }

    public static double Number(string value) => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>The column names <c>column_0</c> … <c>column_{count-1}</c> the product gives a file without a header.</summary>
    public static List<string> Numbered(int count) => [.. Enumerable.Range(0, count).Select(i => $"column_{i}")];

    private static List<string> Split(string line, char separator) => [.. line.Split(separator).Select(f => f.Trim())];
}
