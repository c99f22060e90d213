using System.Globalization;
using System.Text;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Cli.Commands;

/// <summary>
/// The CSV <c>mlops feedback --file</c> reads: a header <c>prediction_id,label</c> or <c>key,timestamp,label</c>
/// (columns in any order, names as written), then one label per line; fields may be quoted with <c>"</c>, blank lines
/// are skipped. Every problem is reported with its line number, and any problem stores nothing.
/// </summary>
internal static class LabelsFile
{
    public static (IReadOnlyList<FeedbackLabel> Labels, IReadOnlyList<string> Problems) Read(string path)
    {
        var problems = new List<string>();
        var labels = new List<FeedbackLabel>();
        var name = Path.GetFileName(path);
        using var reader = new StreamReader(path, Encoding.UTF8);
        var header = reader.ReadLine();
        if (header is null)
        {
            return ([], [$"{name}: the file is empty; its first line must be 'prediction_id,label' or 'key,timestamp,label'"]);
        }

        var columns = Split(header.TrimStart('\uFEFF')).Select(c => c.Trim()).ToList();
        int id = columns.IndexOf("prediction_id"), key = columns.IndexOf("key"), time = columns.IndexOf("timestamp"), label = columns.IndexOf("label");
        if (label < 0 || (id < 0 && (key < 0 || time < 0)) || (id >= 0 && key >= 0))
        {
            return ([], [$"{name}:1: the header must be 'prediction_id,label' or 'key,timestamp,label', not '{header}'"]);
        }

        var number = 1;
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var fields = Split(line);
            if (fields.Count != columns.Count)
            {
                problems.Add($"{name}:{number}: {fields.Count} fields, the header has {columns.Count}");
                continue;
            }

            if (fields[label].Trim() is not { Length: > 0 } value)
            {
                problems.Add($"{name}:{number}: the label is empty");
                continue;
            }

            if (id >= 0)
            {
                if (fields[id].Trim() is { Length: > 0 } prediction)
                {
                    labels.Add(FeedbackLabel.ForPrediction(prediction, value));
                }
                else
                {
                    problems.Add($"{name}:{number}: the prediction id is empty");
                }

                continue;
            }

            if (fields[key].Trim() is not { Length: > 0 } requestKey)
            {
                problems.Add($"{name}:{number}: the key is empty");
            }
            else if (!DateTimeOffset.TryParse(fields[time].Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                problems.Add($"{name}:{number}: timestamp '{fields[time].Trim()}' is not a date and time; use ISO 8601, e.g. 2026-12-07T10:00:00Z");
            }
            else
            {
                labels.Add(FeedbackLabel.ForKey(requestKey, at.ToUniversalTime(), value));
            }
        }

        if (labels.Count == 0 && problems.Count == 0)
        {
            problems.Add($"{name}: no labels after the header");
        }

        return (labels, problems);
    }

    /// <summary>Comma-separated fields; a field in double quotes may hold commas, and <c>""</c> inside it is one quote.</summary>
    private static List<string> Split(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }
}
