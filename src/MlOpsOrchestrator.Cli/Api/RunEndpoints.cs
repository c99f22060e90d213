using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using MlOpsOrchestrator.Cli.Views;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Security;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Cli.Api;

/// <summary>
/// <c>GET /api/runs[/{id}]</c> and the decisions on a waiting manual step. A decision goes to the run service
/// (<see cref="IRunService"/>), which records it and queues the run's continuation like any run, so whichever worker
/// is free finishes it (a rejection ends it as cancelled).
/// </summary>
internal static class RunEndpoints
{
    private const int DefaultLimit = 20;
    private const int MaxLimit = 500;

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/runs", ListAsync);
        routes.MapGet("/api/runs/{id}", GetAsync);
        routes.MapPost("/api/runs/{id}/steps/{step}/approve", (string id, string step, HttpRequest request, IRunService service, IRunRepository runs, TimeProvider time, AccessPolicy policy, CancellationToken ct) =>
            DecideAsync(id, step, approve: true, request, service, runs, time, policy, ct));
        routes.MapPost("/api/runs/{id}/steps/{step}/reject", (string id, string step, HttpRequest request, IRunService service, IRunRepository runs, TimeProvider time, AccessPolicy policy, CancellationToken ct) =>
            DecideAsync(id, step, approve: false, request, service, runs, time, policy, ct));
    }

    private static async Task<IResult> ListAsync(string? pipeline, int? limit, IRunRepository runs, TimeProvider time, CancellationToken ct)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return ApiJson.BadRequest($"limit must be between 1 and {MaxLimit}");
        }

        var now = time.GetUtcNow();
        var list = await runs.ListAsync(string.IsNullOrWhiteSpace(pipeline) ? null : pipeline, limit ?? DefaultLimit, ct);
        return ApiJson.Ok(list.Select(r => RunView.From(r, null, now)).ToList());
    }

    private static async Task<IResult> GetAsync(string id, IRunRepository runs, TimeProvider time, CancellationToken ct)
    {
        var run = await runs.GetAsync(id, ct);
        return run is null
            ? ApiJson.NotFound($"unknown run '{id}'; GET /api/runs lists the runs")
            : ApiJson.Ok(RunView.From(run, await runs.GetStepsAsync(id, ct), time.GetUtcNow()));
    }

    /// <summary>
    /// The decision is recorded as the caller the access rule established (<see cref="AccessPolicy.Identify"/>:
    /// <c>token (10.0.0.5, api)</c>, <c>local (127.0.0.1, api)</c>); the body's <c>by</c> is only a note after it.
    /// </summary>
    private static async Task<IResult> DecideAsync(
        string id, string step, bool approve, HttpRequest request, IRunService service, IRunRepository runs, TimeProvider time, AccessPolicy policy, CancellationToken ct)
    {
        var (json, jsonError) = await ApiBody.ReadAsync(request, ct);
        var (body, bodyError) = jsonError is null ? DecisionBody.Parse(json, reasonRequired: !approve) : (null, jsonError);
        if (body is null)
        {
            return ApiJson.BadRequest(bodyError!);
        }

        try
        {
            var caller = policy.Identify(request.HttpContext.Connection.RemoteIpAddress, request.Headers.Authorization, "api");
            var by = AccessPolicy.Actor(caller, body.By);
            if (approve)
            {
                await service.ApproveAsync(id, step, by, ct);
            }
            else
            {
                await service.RejectAsync(id, step, by, body.Reason, ct);
            }
        }
        catch (RunControlException ex)
        {
            return ex.NotFound ? ApiJson.NotFound(ex.Message) : ex.Invalid ? ApiJson.BadRequest(ex.Message) : ApiJson.Conflict(ex.Message);
        }

        var view = RunView.From((await runs.GetAsync(id, ct))!, await runs.GetStepsAsync(id, ct), time.GetUtcNow());
        request.HttpContext.Response.Headers.Location = $"/api/runs/{Uri.EscapeDataString(id)}";
        return ApiJson.Status(view, StatusCodes.Status202Accepted);
    }
}
