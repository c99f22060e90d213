using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Runs;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>
/// Runs, newest first, filtered by pipeline, status, trigger and level (<see cref="RunsFilter"/>), a page at a time;
/// while a run on the page is pending or running the page reloads itself every <see cref="RefreshSeconds"/> seconds.
/// </summary>
internal sealed class RunsPage(RunsFilter filter, IReadOnlyList<RunRecord> runs, bool more, IReadOnlyList<string> pipelines) : DashboardPage("Runs")
{
    public const int RefreshSeconds = 5;

    public static async Task<DashboardPage> LoadAsync(PageRequest request)
    {
        var filter = RunsFilter.From(request);
        var now = request.Services.Time.GetUtcNow();
        var (runs, more) = await filter.FindAsync(request.Services.Runs, request.Aborted);
        var pipelines = await request.Services.Runs.ListPipelinesAsync(request.Aborted);
        return new RunsPage(filter, runs.Select(r => RunLiveness.Effective(r, now)).ToList(), more, pipelines);
    }

    /// <summary>Whether the page reloads itself: something on it can still change without anyone acting.</summary>
    public bool Refreshes => runs.Any(r => r.Status is RunStatus.Pending or RunStatus.Running);

    protected override void Render(HtmlBuilder html)
    {
        html.Add($"<div class=\"row\"><div class=\"col-md-12\"><h1 class=\"page-header\">Runs{(filter.Pipeline is null ? "" : " of " + filter.Pipeline)}</h1>");
        RenderFilters(html);
        if (Refreshes)
        {
            // A small inline script, no external asset: reloads while runs are active, stops once none is.
            html.Add($"<p class=\"text-muted mlops-refresh\" data-refresh=\"{RefreshSeconds}\">Runs are active: this page refreshes every {RefreshSeconds} s.</p>");
            html.Add($"<script>setTimeout(function () {{ window.location.reload(); }}, {RefreshSeconds * 1000});</script>");
        }

        if (runs.Count == 0)
        {
            html.Add($"<div class=\"alert alert-info\">{(filter.IsFiltered ? "No run matches these filters." : "No runs yet.")}</div></div></div>");
            return;
        }

        html.Add($"<p class=\"text-muted\">Newest first, page {filter.Page} ({RunsFilter.PageSize} a page).</p>");
        html.Add($"<table class=\"table table-striped mlops-runs\"><thead><tr><th>Run</th><th>Pipeline</th><th>Trigger</th><th>Level</th><th>Status</th><th>Created</th><th>Duration</th><th>Model</th></tr></thead><tbody>");
        foreach (var run in runs)
        {
            var model = run.Model is { } m ? $"{m.Name} v{m.Version}" : "—";
            html.Add($"<tr data-run=\"{run.RunId}\"><td><a href=\"{Link("/runs/" + Segment(run.RunId))}\">{run.RunId}</a></td>");
            html.Add($"<td><a href=\"{Link("/runs?pipeline=" + Segment(run.Pipeline))}\">{run.Pipeline}</a></td><td>{run.Trigger}</td><td>{Badges.Level(run.Level)}</td>");
            html.Add($"<td>{Badges.Status(run.Status)}</td><td>{Badges.Time(run.CreatedAt)}</td><td>{Badges.Duration(run.StartedAt, run.FinishedAt)}</td><td>{model}</td></tr>");
        }

        html.Add($"</tbody></table><ul class=\"pager mlops-pager\">");
        if (filter.Page > 1)
        {
            html.Add($"<li class=\"previous\"><a rel=\"prev\" href=\"{Link("/runs" + filter.QueryString(filter.Page - 1))}\">← Newer</a></li>");
        }

        if (more)
        {
            html.Add($"<li class=\"next\"><a rel=\"next\" href=\"{Link("/runs" + filter.QueryString(filter.Page + 1))}\">Older →</a></li>");
        }

        html.Add($"</ul></div></div>");
    }

    private void RenderFilters(HtmlBuilder html)
    {
        html.Add($"<form method=\"get\" action=\"{Link("/runs")}\" class=\"form-inline mlops-run-filters\" style=\"margin-bottom:12px\">");
        html.Add($"<select name=\"pipeline\" class=\"form-control input-sm\" aria-label=\"pipeline\"><option value=\"\">all pipelines</option>");
        foreach (var name in pipelines)
        {
            html.Add($"<option value=\"{name}\"{Selected(name == filter.Pipeline)}>{name}</option>");
        }

        html.Add($"</select> <select name=\"status\" class=\"form-control input-sm\" aria-label=\"status\"><option value=\"\">any status</option>");
        foreach (var status in Enum.GetValues<RunStatus>())
        {
            var word = StatusNames.Of(status);
            html.Add($"<option value=\"{word}\"{Selected(status == filter.Status)}>{word}</option>");
        }

        html.Add($"</select> <input type=\"text\" name=\"trigger\" class=\"form-control input-sm\" placeholder=\"trigger\" aria-label=\"trigger\" value=\"{filter.Trigger}\"> ");
        html.Add($"<select name=\"level\" class=\"form-control input-sm\" aria-label=\"level\"><option value=\"\">any level</option>");
        for (var level = 0; level <= 4; level++)
        {
            html.Add($"<option value=\"{level}\"{Selected(level == filter.Level)}>level {level}</option>");
        }

        html.Add($"</select> <button type=\"submit\" class=\"btn btn-sm btn-default\">Filter</button>");
        if (filter.IsFiltered)
        {
            html.Add($" <a href=\"{Link("/runs")}\">clear</a>");
        }

        html.Add($"</form>");
    }

    private static Markup Selected(bool selected) => selected ? new Markup(" selected") : Markup.Empty;
}
