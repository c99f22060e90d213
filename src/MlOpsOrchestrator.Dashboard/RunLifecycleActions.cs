using Microsoft.AspNetCore.Http;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Runs;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>
/// The dashboard's run-now, cancel, resume and retry: each form goes to the run service (<see cref="IRunService"/>),
/// the same rules as the CLI and the API, recorded as the dashboard caller (<see cref="DashboardAccess.Actor"/>).
/// Success shows the run (for a retry or a new run, the new one); a refusal shows why.
/// </summary>
internal static class RunLifecycleActions
{
    public const string Cancel = "cancel";
    public const string Resume = "resume";
    public const string Retry = "retry";

    /// <summary><c>POST /runs/{id}/(cancel|resume|retry)</c>; a cancel takes an optional <c>reason</c>.</summary>
    public static async Task<ActionResult> ActAsync(PageRequest request)
    {
        var (runId, action) = (request.Route("id"), request.Route("action"));
        var back = "/runs/" + Uri.EscapeDataString(runId);
        var service = request.Services.RunService;
        var by = DashboardAccess.Actor(request.Http);
        try
        {
            RunRecord run;
            if (action == Cancel)
            {
                var form = await request.Http.Request.ReadFormAsync(request.Aborted);
                run = await service.CancelAsync(runId, by, form["reason"].ToString(), request.Aborted);
            }
            else
            {
                run = action == Retry ? await service.RetryAsync(runId, by, request.Aborted) : await service.ResumeAsync(runId, by, request.Aborted);
            }

            return ActionResult.Redirect("/runs/" + Uri.EscapeDataString(run.RunId));
        }
        catch (RunControlException e)
        {
            var status = e.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest;
            return ActionResult.Problem(status, $"Not done: {action}", e.Message, back, "Back to the run");
        }
    }

    /// <summary><c>POST /pipelines/{name}/run</c> with an optional <c>trigger</c>: a run now, as that trigger would run it.</summary>
    public static async Task<ActionResult> StartAsync(PageRequest request)
    {
        var name = request.Route("name");
        var form = await request.Http.Request.ReadFormAsync(request.Aborted);
        var trigger = form["trigger"].ToString();
        if (request.Services.Catalog?.Find(name) is not { Definition: { } definition, Yaml: { } yaml })
        {
            return ActionResult.Problem(StatusCodes.Status404NotFound, "Not started", $"There is no loaded pipeline '{name}'.", "/pipelines", "Pipelines");
        }

        try
        {
            var request1 = new RunRequest { Definition = definition, Yaml = yaml, Trigger = trigger.Length == 0 ? RunRequest.ManualTrigger : trigger };
            var started = await request.Services.RunService.StartAsync(request1, DashboardAccess.Actor(request.Http), request.Aborted);
            return ActionResult.Redirect("/runs/" + Uri.EscapeDataString(started.Run.RunId));
        }
        catch (RunControlException e)
        {
            return ActionResult.Problem(e.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest, "Not started", e.Message, "/pipelines", "Pipelines");
        }
    }

    /// <summary>The buttons a run's state allows, for a caller who may act; cancel asks for confirmation.</summary>
    public static void RenderButtons(HtmlBuilder html, RunRecord run, bool canWrite, AntiforgeryField? antiforgery, Func<string, string> link)
    {
        if (!canWrite || antiforgery is null)
        {
            return;
        }

        var action = link("/runs/" + Uri.EscapeDataString(run.RunId));
        html.Add($"<div class=\"mlops-run-actions\">");
        if (run.Status is RunStatus.Pending or RunStatus.Running or RunStatus.AwaitingApproval or RunStatus.Interrupted)
        {
            var note = run.CancelRequest is { } requested ? $"cancel requested by {requested.By}" : null;
            html.Add($"<form method=\"post\" action=\"{action}/cancel\" class=\"form-inline mlops-cancel\" onsubmit=\"return confirm('Cancel this run? Its executing step stops at its next check.')\">{antiforgery.Input}");
            html.Add($"<input type=\"text\" name=\"reason\" class=\"form-control input-sm\" placeholder=\"reason (optional)\" maxlength=\"500\"> ");
            html.Add($"<button type=\"submit\" class=\"btn btn-sm btn-danger\">Cancel run</button> <span class=\"text-muted\">{note ?? ""}</span></form>");
        }

        if (run.Status is RunStatus.Interrupted or RunStatus.Failed)
        {
            html.Add($"<form method=\"post\" action=\"{action}/resume\" class=\"form-inline mlops-resume\">{antiforgery.Input}<button type=\"submit\" class=\"btn btn-sm btn-primary\">Resume after the last finished step</button></form>");
        }

        if (run.Status is RunStatus.Failed or RunStatus.Cancelled)
        {
            html.Add($"<form method=\"post\" action=\"{action}/retry\" class=\"form-inline mlops-retry\">{antiforgery.Input}<button type=\"submit\" class=\"btn btn-sm btn-default\">Retry as a new run from the failed step</button></form>");
        }

        html.Add($"</div>");
        if (run.RetryOf is { } original)
        {
            html.Add($"<p class=\"mlops-retry-of\">Retries run <a href=\"{link("/runs/" + Uri.EscapeDataString(original))}\">{original}</a></p>");
        }
    }

    /// <summary>Run-now buttons of a pipeline: one per trigger (its steps and mode) and one by hand.</summary>
    public static void RenderRunNow(HtmlBuilder html, string pipeline, IEnumerable<string> triggers, bool canWrite, AntiforgeryField? antiforgery, Func<string, string> link)
    {
        if (!canWrite || antiforgery is null)
        {
            return;
        }

        var action = link($"/pipelines/{Uri.EscapeDataString(pipeline)}/run");
        html.Add($"<div class=\"mlops-run-now\">");
        foreach (var trigger in triggers.Prepend(""))
        {
            html.Add($"<form method=\"post\" action=\"{action}\" class=\"form-inline\" style=\"display:inline\">{antiforgery.Input}<input type=\"hidden\" name=\"trigger\" value=\"{trigger}\">");
            html.Add($"<button type=\"submit\" class=\"btn btn-sm btn-default\" data-trigger=\"{trigger}\">{(trigger.Length == 0 ? "Run now" : $"Run now as {trigger}")}</button></form> ");
        }

        html.Add($"</div>");
    }
}
