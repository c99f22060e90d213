using System.Text;

namespace MlOpsOrchestrator.Loading;

/// <summary>
/// Reads the column names of a CSV file at load time, so a schema entry or label naming a column that does not exist
/// is a YAML error and not a failed run hours later. Handles a UTF-8 BOM, quoting and padded names.
/// </summary>
internal static class CsvHeader
{
    public static IReadOnlyList<string>? TryRead(string path, char separator, bool header, IReadOnlyList<string> schemaNames)
    {
        string? first;
        try
        {
            using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            first = reader.ReadLine();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        if (first is null)
        {
            return null;
        }

        var fields = Split(first.TrimStart('\uFEFF'), separator);
        if (header)
        {
            return fields.Select(f => f.Trim()).ToList();
        }

        return schemaNames.Count == fields.Count
            ? schemaNames
            : Enumerable.Range(0, fields.Count).Select(i => $"column_{i}").ToList();
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
