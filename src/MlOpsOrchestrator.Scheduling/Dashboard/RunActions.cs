using Microsoft.AspNetCore.Http;
using MlOpsOrchestrator.Execution;

namespace MlOpsOrchestrator.Scheduling.Dashboard;

/// <summary>Approve or reject a waiting manual step; the continuation goes through the queue like any run.</summary>
internal static class RunActions
{
    public static async Task<ActionResult> DecideAsync(PageRequest request)
    {
        var (runId, stepId, decision) = (request.Route("id"), request.Route("step"), request.Route("decision"));
        var back = "/runs/" + Uri.EscapeDataString(runId);
        var services = request.Services;
        var by = DashboardAccess.Actor(request.Http);
        try
        {
            var run = string.Equals(decision, "approve", StringComparison.OrdinalIgnoreCase)
                ? await services.Control.ApproveAsync(runId, stepId, by, request.Aborted)
                : await RejectAsync(request, runId, stepId, by);
            if (run is null)
            {
                return ActionResult.Problem(StatusCodes.Status400BadRequest, "Reason required", "Rejecting a step needs a reason (at most 500 characters).", back, "Back to the run");
            }

            await services.Dispatcher.EnqueueAsync(run, request.Aborted);
            return ActionResult.Redirect(back);
        }
        catch (RunControlException e)
        {
            return ActionResult.Problem(e.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest, "Not decided", e.Message, back, "Back to the run");
        }
    }

    private static async Task<Runs.RunRecord?> RejectAsync(PageRequest request, string runId, string stepId, string by)
    {
        var form = await request.Http.Request.ReadFormAsync(request.Aborted);
        var reason = form["reason"].ToString().Trim();
        if (reason.Length is 0 or > Security.InputText.MaxReasonLength)
        {
            return null;
        }

        return await request.Services.Control.RejectAsync(runId, stepId, by, reason, request.Aborted);
    }
}
