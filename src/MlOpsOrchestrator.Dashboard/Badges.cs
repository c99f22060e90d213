using System.Globalization;
using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Runs;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>The small pieces every page shares: level and status badges, times, durations and metrics.</summary>
internal static class Badges
{
    public static Markup Level(int level)
    {
        var name = level >= 0 && level < MaturityAssessment.Names.Count ? MaturityAssessment.Names[level] : "unknown";
        var css = level switch
        {
            4 => "label-success",
            3 => "label-primary",
            2 => "label-info",
            1 => "label-warning",
            _ => "label-default",
        };
        return HtmlBuilder.Fragment($"<span class=\"label {css} mlops-level\" data-level=\"{level}\" title=\"MLOps maturity level\">level {level} · {name}</span>");
    }

    public static Markup Status(RunStatus status) => Label(StatusNames.Of(status), status switch
    {
        RunStatus.Succeeded => "label-success",
        RunStatus.Failed or RunStatus.Interrupted => "label-danger",
        RunStatus.AwaitingApproval => "label-warning",
        RunStatus.Running => "label-info",
        _ => "label-default",
    });

    public static Markup Status(StepStatus status) => Label(StatusNames.Of(status), status switch
    {
        StepStatus.Succeeded => "label-success",
        StepStatus.Failed or StepStatus.Interrupted => "label-danger",
        StepStatus.AwaitingApproval => "label-warning",
        StepStatus.Running => "label-info",
        _ => "label-default",
    });

    /// <summary>A step outside the trigger's <c>steps:</c> subset: grey, never red, since nothing went wrong.</summary>
    public static Markup NotInTrigger { get; } =
        HtmlBuilder.Fragment($"<span class=\"label label-default mlops-status mlops-not-in-trigger\" data-status=\"not_in_trigger\">not in this trigger</span>");

    /// <summary>
    /// What a run found beside its status: a monitor step that found drift (or a performance drop) makes a succeeded run
    /// a finding, not a plain success. Empty when no step found anything.
    /// </summary>
    public static Markup Findings(IEnumerable<StepRecord> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var verdicts = steps.Select(s => s.Result).OfType<MonitorResult>().Select(r => r.Verdict).ToHashSet();
        var html = new HtmlBuilder();
        if (verdicts.Contains(MonitorVerdict.Drift))
        {
            html.Add($" <span class=\"label label-warning mlops-finding\" data-finding=\"drift\">drift found</span>");
        }

        if (verdicts.Contains(MonitorVerdict.Performance))
        {
            html.Add($" <span class=\"label label-warning mlops-finding\" data-finding=\"performance\">performance worse</span>");
        }

        return html.ToMarkup();
    }

    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "—";

    public static string Duration(DateTimeOffset? start, DateTimeOffset? end)
    {
        if (start is not { } s || end is not { } e)
        {
            return "—";
        }

        var seconds = (e - s).TotalSeconds;
        return seconds < 60
            ? seconds.ToString("0.0 's'", CultureInfo.InvariantCulture)
            : TimeSpan.FromSeconds(Math.Round(seconds)).ToString("c", CultureInfo.InvariantCulture);
    }

    public static string Metrics(IReadOnlyDictionary<string, double> metrics) =>
        metrics.Count == 0
            ? "—"
            : string.Join(", ", metrics.OrderBy(m => m.Key, StringComparer.Ordinal)
                .Select(m => $"{m.Key} {m.Value.ToString("0.####", CultureInfo.InvariantCulture)}"));

    public static string Short(string text, int length = 12) => text.Length <= length ? text : text[..length];

    private static Markup Label(string text, string css) =>
        HtmlBuilder.Fragment($"<span class=\"label {css} mlops-status\" data-status=\"{text}\">{text}</span>");
}
