using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>
/// A run's log lines, read from the host's compact JSON log files (<c>&lt;home&gt;/logs/*.json</c>, one file per
/// process role and day): every event carries the run and step ids of the executor's scopes, so the lines of one run
/// are those with its <c>RunId</c>. Only the files of the days the run spans are read, and at most <see cref="MaxLines"/>
/// lines are kept.
/// </summary>
public sealed partial class RunLogs(string folder)
{
    public const int MaxLines = 500;

    public string Folder { get; } = folder;

    /// <summary>One event: when, its level, the step it belongs to (null for the run's own lines), the rendered message.</summary>
    public sealed record Line(DateTimeOffset At, string Level, string? StepId, string Message);

    public async Task<IReadOnlyList<Line>> ReadAsync(string runId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        if (!Directory.Exists(Folder))
        {
            return [];
        }

        var lines = new List<Line>();
        foreach (var file in Files(from, to))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            while (await reader.ReadLineAsync(ct) is { } text)
            {
                if (text.Contains(runId, StringComparison.Ordinal) && Parse(text, runId) is { } line)
                {
                    lines.Add(line);
                }
            }
        }

        return lines.OrderBy(l => l.At).Take(MaxLines).ToList();
    }

    /// <summary>The log files written on the days from <paramref name="from"/> to <paramref name="to"/> (Serilog's daily names end in <c>yyyyMMdd</c>).</summary>
    private IEnumerable<string> Files(DateTimeOffset from, DateTimeOffset to)
    {
        var first = from.UtcDateTime.Date.AddDays(-1);
        var last = to.UtcDateTime.Date.AddDays(1);
        foreach (var file in Directory.EnumerateFiles(Folder, "*.json").Order(StringComparer.Ordinal))
        {
            var match = DayOf().Match(Path.GetFileNameWithoutExtension(file));
            if (!match.Success)
            {
                continue;
            }

            var day = DateTime.ParseExact(match.Groups["day"].Value, "yyyyMMdd", CultureInfo.InvariantCulture);
            if (day >= first && day <= last)
            {
                yield return file;
            }
        }
    }

    private static Line? Parse(string text, string runId)
    {
        try
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            if (!root.TryGetProperty("RunId", out var run) || run.ValueKind != JsonValueKind.String || run.GetString() != runId)
            {
                return null;
            }

            var at = root.TryGetProperty("@t", out var t) && t.TryGetDateTimeOffset(out var time) ? time : DateTimeOffset.MinValue;
            var level = root.TryGetProperty("@l", out var l) ? l.GetString() ?? "Information" : "Information";
            var step = root.TryGetProperty("StepId", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            var template = root.TryGetProperty("@mt", out var mt) ? mt.GetString() ?? "" : root.TryGetProperty("@m", out var m) ? m.GetString() ?? "" : "";
            return new Line(at, level, step, Render(template, root));
        }
        catch (JsonException)
        {
            return null; // A line cut short by a crash, or a file that is not a log.
        }
    }

    /// <summary>The message template with each <c>{Name}</c> (or <c>{Name:format}</c>) replaced by the event's property.</summary>
    private static string Render(string template, JsonElement root) => Hole().Replace(template, match =>
    {
        var name = match.Groups["name"].Value;
        return root.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : value.GetRawText()
            : match.Value;
    });

    [GeneratedRegex(@"\{@?(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:[,:][^}]*)?\}")]
    private static partial Regex Hole();

    [GeneratedRegex(@"(?<day>\d{8})$")]
    private static partial Regex DayOf();
}
