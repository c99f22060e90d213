using System.Text;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Text;

namespace MlOpsOrchestrator.Loading;

/// <summary>
/// Reads the column names of a CSV file at load time, so a schema entry or label naming a column that does not exist
/// is a YAML error and not a failed run hours later. Handles a UTF-8 BOM, quoting and padded names.
/// </summary>
internal static class CsvHeader
{
    public static IReadOnlyList<string>? TryRead(string path, char separator, bool header, IReadOnlyList<string> schemaNames) =>
        Read(path, separator, header, schemaNames, SourceEncoding.Utf8).Columns;

    /// <summary>
    /// The column names, or null when the file cannot be read or is empty; <c>Problem</c> says where the first line
    /// is not text in <paramref name="encoding"/> (then the names are null too: they would be damaged).
    /// </summary>
    public static (IReadOnlyList<string>? Columns, string? Problem) Read(
        string path, char separator, bool header, IReadOnlyList<string> schemaNames, SourceEncoding encoding)
    {
        string? first;
        InvalidBytes invalid;
        try
        {
            var (reader, counter) = SourceText.Open(File.OpenRead(path), encoding);
            using (reader)
            {
                first = reader.ReadLine();
            }

            invalid = counter;
        }
        catch (IOException)
        {
            return (null, null);
        }
        catch (UnauthorizedAccessException)
        {
            return (null, null);
        }

        if (first is null)
        {
            return (null, null);
        }

        var fields = Split(first.TrimStart('\uFEFF'), separator);
        if (invalid.Count > 0 && fields.FindIndex(f => f.Contains('\uFFFD', StringComparison.Ordinal)) is var bad and >= 0)
        {
            var where = header ? "line 1 (the header)" : "line 1";
            return (null, $"{where}, column {bad + 1} ('{Echo.Value(fields[bad].Trim(), 40)}') has bytes that are not UTF-8");
        }

        if (header)
        {
            return (fields.Select(f => f.Trim()).ToList(), null);
        }

        return (schemaNames.Count == fields.Count
            ? schemaNames
            : Enumerable.Range(0, fields.Count).Select(i => $"column_{i}").ToList(), null);
    }

    public static List<string> Split(string line, char separator)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '"' && quoted && i + 1 < line.Length && line[i + 1] == '"')
            {
                current.Append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == separator && !quoted)
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        fields.Add(current.ToString());
        return fields;
    }
}
