using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Runs;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>
/// One run: its level and reasons, the run that started it and the Hangfire jobs that executed it, the step graph,
/// every step with status, attempts, times, metrics, note, error and decision (<see cref="StepDecision"/>), its log
/// lines, and the decision buttons of a waiting manual step.
/// </summary>
internal sealed class RunPage(RunRecord run, IReadOnlyList<StepRecord> steps, RunInsight insight, bool canWrite, AntiforgeryField? antiforgery) : DashboardPage("Run " + run.RunId)
{
    public static async Task<DashboardPage> LoadAsync(PageRequest request)
    {
        var id = request.Route("id");
        var services = request.Services;
        if (await services.Runs.GetAsync(id, request.Aborted) is not { } stored)
        {
            request.Http.Response.StatusCode = 404;
            return new MessagePage("Unknown run", $"There is no run '{id}'.", "/runs", "All runs");
        }

        var run = RunLiveness.Effective(stored, services.Time.GetUtcNow());
        var steps = (await services.Runs.GetStepsAsync(id, request.Aborted)).Select(s => RunLiveness.Effective(s, run)).ToList();
        var insight = await RunInsight.LoadAsync(services, run, steps, request.Aborted);
        return new RunPage(run, steps, insight, request.CanWrite, request.Antiforgery);
    }

    protected override void Render(HtmlBuilder html)
    {
        html.Add($"<div class=\"row\"><div class=\"col-md-12\"><h1 class=\"page-header\">Run {run.RunId} {Badges.Status(run.Status)}{Badges.Findings(steps)}</h1>");
        html.Add($"<dl class=\"dl-horizontal mlops-run\">");
        html.Add($"<dt>Pipeline</dt><dd><a href=\"{Link("/runs?pipeline=" + Segment(run.Pipeline))}\">{run.Pipeline}</a> <small class=\"text-muted\">version {Badges.Short(run.PipelineVersion)}</small></dd>");
        html.Add($"<dt>Trigger</dt><dd>{run.Trigger} ({(run.Mode == Specs.RunMode.Full ? "full" : "incremental")})</dd>");
        html.Add($"<dt>Level</dt><dd>{Badges.Level(run.Level)}");
        if (run.LevelReasons.Count > 0)
        {
            html.Add($"<ul class=\"mlops-level-reasons\">");
            foreach (var reason in run.LevelReasons)
            {
                html.Add($"<li>{reason}</li>");
            }

            html.Add($"</ul>");
        }

        html.Add($"</dd><dt>Created</dt><dd>{Badges.Time(run.CreatedAt)}</dd><dt>Started</dt><dd>{Badges.Time(run.StartedAt)}</dd>");
        html.Add($"<dt>Finished</dt><dd>{Badges.Time(run.FinishedAt)}</dd><dt>Duration</dt><dd>{Badges.Duration(run.StartedAt, run.FinishedAt)}</dd>");
        if (insight.StartedBy is { } parent)
        {
            html.Add($"<dt>Started by</dt><dd class=\"mlops-started-by\">run <a href=\"{Link("/runs/" + Segment(parent))}\">{parent}</a> (its retrain step)</dd>");
        }

        if (insight.Jobs.Count > 0)
        {
            html.Add($"<dt>Hangfire jobs</dt><dd class=\"mlops-jobs\">");
            foreach (var job in insight.Jobs)
            {
                html.Add($"<a href=\"{Link("/jobs/details/" + Segment(job))}\">#{job}</a> ");
            }

            html.Add($"</dd>");
        }

        if (run.Model is { } model)
        {
            html.Add($"<dt>Model</dt><dd><a href=\"{Link("/models/" + Segment(model.Name))}\">{model.Name} version {model.Version}</a></dd>");
        }

        if (run.Parameters.Count > 0)
        {
            html.Add($"<dt>Parameters</dt><dd>{string.Join(", ", run.Parameters.Select(p => $"{p.Key}={p.Value}"))}</dd>");
        }

        html.Add($"</dl>");
        RunLifecycleActions.RenderButtons(html, run, canWrite, antiforgery, Link);
        if (run.Error is { } error)
        {
            html.Add($"<div class=\"alert alert-danger mlops-run-error\">{error}</div>");
        }

        if (insight.Definition is { } definition)
        {
            html.Add($"<h3>Step graph</h3><div class=\"mlops-graph\">{StepGraphSvg.Render(definition.Graph(), steps.ToDictionary(s => s.StepId, StringComparer.Ordinal), run.StepSubset)}</div>");
        }

        RenderSteps(html);
        RunLogSection.Render(html, insight.Logs);
        html.Add($"</div></div>");
    }

    private void RenderSteps(HtmlBuilder html)
    {
        html.Add($"<h3>Steps</h3><table class=\"table mlops-steps\"><thead><tr><th>Step</th><th>Kind</th><th>Status</th><th>Attempts</th><th>Started</th><th>Finished</th><th>Duration</th><th>Metrics</th><th>Error / decision</th></tr></thead><tbody>");
        foreach (var step in steps)
        {
            if (run.StepSubset is { } subset && !subset.Contains(step.StepId))
            {
                // Not a failure: the trigger runs only its steps: subset.
                html.Add($"<tr id=\"step-{step.StepId}\" data-step=\"{step.StepId}\" class=\"text-muted mlops-outside\"><td>{step.StepId}</td><td>{step.Kind}</td>");
                html.Add($"<td>{Badges.NotInTrigger}</td><td colspan=\"6\">the trigger '{run.Trigger}' runs only {string.Join(", ", subset)}</td></tr>");
                continue;
            }

            html.Add($"<tr id=\"step-{step.StepId}\" data-step=\"{step.StepId}\"><td>{step.StepId}</td><td>{step.Kind}</td><td>{Badges.Status(step.Status)}</td><td>{step.Attempts}</td>");
            html.Add($"<td>{Badges.Time(step.StartedAt)}</td><td>{Badges.Time(step.FinishedAt)}</td><td>{Badges.Duration(step.StartedAt, step.FinishedAt)}</td><td>{Badges.Metrics(step.Metrics)}</td><td>");
            if (step.Result?.Note is { } note)
            {
                html.Add($"<div class=\"mlops-note\">{note}</div>");
            }

            StepDecision.Render(html, step, insight.Definition?.Spec.Step(step.StepId), insight, Link);
            RunLogSection.RenderStep(html, insight.Logs, step.StepId);
            if (step.Error is { } error)
            {
                html.Add($"<span class=\"text-danger\">{error}</span>");
            }

            if (step.DecidedBy is { } by)
            {
                html.Add($"<span class=\"text-muted\">decided by {by}{(step.Reason is null ? "" : ": " + step.Reason)}</span>");
            }

            if (step.Status == StepStatus.AwaitingApproval)
            {
                RenderDecision(html, step);
            }

            html.Add($"</td></tr>");
        }

        html.Add($"</tbody></table>");
    }

    private void RenderDecision(HtmlBuilder html, StepRecord step)
    {
        if (!canWrite || antiforgery is null)
        {
            html.Add($"<span class=\"text-warning\">awaiting approval{(canWrite ? "" : " (read-only access: approving needs the API token)")}</span>");
            return;
        }

        var action = Link($"/runs/{Segment(run.RunId)}/steps/{Segment(step.StepId)}");
        html.Add($"<form method=\"post\" action=\"{action}/approve\" class=\"form-inline mlops-approve\">{antiforgery.Input}");
        html.Add($"<button type=\"submit\" class=\"btn btn-sm btn-success\">Approve {step.StepId}</button></form>");
        html.Add($"<form method=\"post\" action=\"{action}/reject\" class=\"form-inline mlops-reject\" onsubmit=\"return confirm('Reject this step? The run ends cancelled.')\">{antiforgery.Input}");
        html.Add($"<input type=\"text\" name=\"reason\" class=\"form-control input-sm\" placeholder=\"reason\" required maxlength=\"500\"> ");
        html.Add($"<button type=\"submit\" class=\"btn btn-sm btn-danger\">Reject</button></form>");
    }
}
