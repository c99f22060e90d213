using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Runs;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>Runs, newest first, of every pipeline or of one (<c>?pipeline=NAME</c>).</summary>
internal sealed class RunsPage(string? pipeline, IReadOnlyList<RunRecord> runs) : DashboardPage("Runs")
{
    public const int Limit = 100;

    public static async Task<DashboardPage> LoadAsync(PageRequest request)
    {
        var pipeline = request.Query("pipeline") is { Length: > 0 } name ? name : null;
        var now = request.Services.Time.GetUtcNow();
        var runs = await request.Services.Runs.ListAsync(pipeline, Limit, request.Aborted);
        return new RunsPage(pipeline, runs.Select(r => RunLiveness.Effective(r, now)).ToList());
    }

    protected override void Render(HtmlBuilder html)
    {
        html.Add($"<div class=\"row\"><div class=\"col-md-12\"><h1 class=\"page-header\">Runs{(pipeline is null ? "" : " of " + pipeline)}</h1>");
        if (pipeline is not null)
        {
            html.Add($"<p><a href=\"{Link("/runs")}\">All pipelines</a></p>");
        }

        if (runs.Count == 0)
        {
            html.Add($"<div class=\"alert alert-info\">No runs yet.</div></div></div>");
            return;
        }

        html.Add($"<p class=\"text-muted\">Newest first{(runs.Count == Limit ? $", the last {Limit}" : "")}.</p>");
        html.Add($"<table class=\"table table-striped mlops-runs\"><thead><tr><th>Run</th><th>Pipeline</th><th>Trigger</th><th>Level</th><th>Status</th><th>Created</th><th>Duration</th><th>Model</th></tr></thead><tbody>");
        foreach (var run in runs)
        {
            var model = run.Model is { } m ? $"{m.Name} v{m.Version}" : "—";
            html.Add($"<tr data-run=\"{run.RunId}\"><td><a href=\"{Link("/runs/" + Segment(run.RunId))}\">{run.RunId}</a></td>");
            html.Add($"<td><a href=\"{Link("/runs?pipeline=" + Segment(run.Pipeline))}\">{run.Pipeline}</a></td><td>{run.Trigger}</td><td>{Badges.Level(run.Level)}</td>");
            html.Add($"<td>{Badges.Status(run.Status)}</td><td>{Badges.Time(run.CreatedAt)}</td><td>{Badges.Duration(run.StartedAt, run.FinishedAt)}</td><td>{model}</td></tr>");
        }

        html.Add($"</tbody></table></div></div>");
    }
}
