using System.Globalization;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>A run's log lines on its page: each step's under its row (folded), and all of them, in order, at the end.</summary>
internal static class RunLogSection
{
    public static void RenderStep(HtmlBuilder html, IReadOnlyList<RunLogs.Line> logs, string stepId)
    {
        var lines = logs.Where(l => l.StepId == stepId).ToList();
        if (lines.Count == 0)
        {
            return;
        }

        html.Add($"<details class=\"mlops-step-log\"><summary>{lines.Count} log line{(lines.Count == 1 ? "" : "s")}</summary><pre>");
        foreach (var line in lines)
        {
            html.Add($"{Text(line)}\n");
        }

        html.Add($"</pre></details>");
    }

    public static void Render(HtmlBuilder html, IReadOnlyList<RunLogs.Line> logs)
    {
        if (logs.Count == 0)
        {
            return;
        }

        html.Add($"<h3>Log</h3><table class=\"table table-condensed mlops-log\"><thead><tr><th>Time</th><th>Level</th><th>Step</th><th>Message</th></tr></thead><tbody>");
        foreach (var line in logs)
        {
            var css = line.Level switch
            {
                "Error" or "Fatal" => "danger",
                "Warning" => "warning",
                _ => "",
            };
            html.Add($"<tr class=\"{css}\" data-log-step=\"{line.StepId}\"><td>{Time(line.At)}</td><td>{line.Level}</td><td>{line.StepId ?? "—"}</td><td>{line.Message}</td></tr>");
        }

        html.Add($"</tbody></table>");
        if (logs.Count >= RunLogs.MaxLines)
        {
            html.Add($"<p class=\"text-muted\">The first {RunLogs.MaxLines} lines; the log files hold the rest.</p>");
        }
    }

    private static string Text(RunLogs.Line line) => $"{Time(line.At)} {line.Level[..Math.Min(3, line.Level.Length)].ToUpperInvariant()} {line.Message}";

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
}
