using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using MlOpsOrchestrator.Cli.Views;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Security;
using MlOpsOrchestrator.Stores;
using MlOpsOrchestrator.Text;

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

    /// <summary>The status words of the JSON shapes, in the order of the run's life.</summary>
    private static readonly IReadOnlyDictionary<string, RunStatus> StatusWords =
        Enum.GetValues<RunStatus>().ToDictionary(StatusNames.Of, s => s, StringComparer.Ordinal);

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/runs", ListAsync);
        routes.MapGet("/api/runs/{id}", GetAsync);
        routes.MapPost("/api/runs/{id}/steps/{step}/approve", (string id, string step, HttpRequest request, IRunService service, IRunRepository runs, TimeProvider time, AccessPolicy policy, CancellationToken ct) =>
            DecideAsync(id, step, approve: true, request, service, runs, time, policy, ct));
        routes.MapPost("/api/runs/{id}/steps/{step}/reject", (string id, string step, HttpRequest request, IRunService service, IRunRepository runs, TimeProvider time, AccessPolicy policy, CancellationToken ct) =>
            DecideAsync(id, step, approve: false, request, service, runs, time, policy, ct));
    }

    /// <summary>
    /// Newest first, filtered by <c>pipeline</c>, <c>trigger</c> and <c>status</c> (one status word, or several separated
    /// by commas). A status is matched as shown: a run whose executor died shows, and is found, as <c>interrupted</c>.
    /// </summary>
    private static async Task<IResult> ListAsync(string? pipeline, string? trigger, string? status, int? limit, IRunRepository runs, TimeProvider time, CancellationToken ct)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return ApiJson.BadRequest($"'limit' must be between 1 and {MaxLimit}");
        }

        HashSet<RunStatus>? shown = null;
        if (status is not null)
        {
            shown = [];
            foreach (var word in status.Split(','))
            {
                if (!StatusWords.TryGetValue(word, out var parsed))
                {
                    return ApiJson.BadRequest($"'status' must be one of {string.Join(", ", StatusWords.Keys)} (several separated by commas), not '{Echo.Value(word)}'");
                }

                shown.Add(parsed);
            }
        }

        var now = time.GetUtcNow();
        var query = new RunQuery
        {
            Pipeline = string.IsNullOrWhiteSpace(pipeline) ? null : pipeline,
            Trigger = string.IsNullOrWhiteSpace(trigger) ? null : trigger,
            Statuses = shown is null ? null : [.. shown, .. shown.Contains(RunStatus.Interrupted) ? [RunStatus.Running] : Array.Empty<RunStatus>()],
            Limit = limit ?? DefaultLimit,
        };
        var list = (await runs.FindAsync(query, ct)).Select(r => RunLiveness.Effective(r, now)).Where(r => shown is null || shown.Contains(r.Status));
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
