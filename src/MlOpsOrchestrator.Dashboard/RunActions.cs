using Microsoft.AspNetCore.Http;
using MlOpsOrchestrator.Execution;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>
/// Approve or reject a waiting manual step: the form goes to the run service, which checks it, records the decision
/// and queues the continuation like any run.
/// </summary>
internal static class RunActions
{
    public static async Task<ActionResult> DecideAsync(PageRequest request)
    {
        var (runId, stepId, decision) = (request.Route("id"), request.Route("step"), request.Route("decision"));
        var back = "/runs/" + Uri.EscapeDataString(runId);
        var service = request.Services.RunService;
        var by = DashboardAccess.Actor(request.Http);
        try
        {
            if (string.Equals(decision, "approve", StringComparison.OrdinalIgnoreCase))
            {
                await service.ApproveAsync(runId, stepId, by, request.Aborted);
            }
            else
            {
                var form = await request.Http.Request.ReadFormAsync(request.Aborted);
                await service.RejectAsync(runId, stepId, by, form["reason"].ToString(), request.Aborted);
            }

            return ActionResult.Redirect(back);
        }
        catch (RunControlException e)
        {
            var (status, title) = e.NotFound ? (StatusCodes.Status404NotFound, "Not decided")
                : e.Invalid ? (StatusCodes.Status400BadRequest, "Reason required")
                : (StatusCodes.Status400BadRequest, "Not decided");
            return ActionResult.Problem(status, title, e.Message, back, "Back to the run");
        }
    }
}
