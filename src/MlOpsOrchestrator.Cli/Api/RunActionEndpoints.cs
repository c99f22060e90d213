using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using MlOpsOrchestrator.Cli.Views;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Security;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Cli.Api;

/// <summary>
/// <c>POST /api/runs/{id}/cancel</c> (body <c>{ "reason", "by" }</c>, both optional), <c>.../resume</c> and
/// <c>.../retry</c> (body <c>{ "by" }</c>, optional). Each goes to the run service (<see cref="IRunService"/>), the
/// same rules as <c>mlops cancel</c>, <c>mlops resume</c> and <c>mlops retry</c>, recorded as the caller the access
/// rule established. 202 with the run (for retry, the new run) and its <c>Location</c>; 404 for an unknown run; 409
/// for a run in the wrong state (cancel an ended run, resume a running one); 400 for a bad body, naming the field.
/// </summary>
internal static class RunActionEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/runs/{id}/cancel", (string id, HttpRequest request, IRunService service, IRunRepository runs, TimeProvider time, AccessPolicy policy, CancellationToken ct) =>
            ActAsync(request, withReason: true, (by, body) => service.CancelAsync(id, by, body.Reason, ct), runs, time, policy, ct));
        routes.MapPost("/api/runs/{id}/resume", (string id, HttpRequest request, IRunService service, IRunRepository runs, TimeProvider time, AccessPolicy policy, CancellationToken ct) =>
            ActAsync(request, withReason: false, (by, _) => service.ResumeAsync(id, by, ct), runs, time, policy, ct));
        routes.MapPost("/api/runs/{id}/retry", (string id, HttpRequest request, IRunService service, IRunRepository runs, TimeProvider time, AccessPolicy policy, CancellationToken ct) =>
            ActAsync(request, withReason: false, (by, _) => service.RetryAsync(id, by, ct), runs, time, policy, ct));
    }

    private static async Task<IResult> ActAsync(
        HttpRequest request, bool withReason, Func<string, DecisionBody, Task<RunRecord>> act, IRunRepository runs, TimeProvider time, AccessPolicy policy, CancellationToken ct)
    {
        var (json, jsonError) = await ApiBody.ReadAsync(request, ct);
        var (body, bodyError) = jsonError is null ? DecisionBody.Parse(json, reasonRequired: withReason) : (null, jsonError);
        if (body is null)
        {
            return ApiJson.BadRequest(bodyError!);
        }

        RunRecord run;
        try
        {
            var caller = policy.Identify(request.HttpContext.Connection.RemoteIpAddress, request.Headers.Authorization, "api");
            run = await act(AccessPolicy.Actor(caller, body.By), body);
        }
        catch (RunControlException ex)
        {
            return ex.NotFound ? ApiJson.NotFound(ex.Message) : ex.Invalid ? ApiJson.BadRequest(ex.Message) : ApiJson.Conflict(ex.Message);
        }

        var view = RunView.From((await runs.GetAsync(run.RunId, ct)) ?? run, await runs.GetStepsAsync(run.RunId, ct), time.GetUtcNow());
        request.HttpContext.Response.Headers.Location = $"/api/runs/{Uri.EscapeDataString(run.RunId)}";
        return ApiJson.Status(view, StatusCodes.Status202Accepted);
    }
}
