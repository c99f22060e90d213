using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using MlOpsOrchestrator.Cli.Views;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.Security;
using MlOpsOrchestrator.Stores;
using MlOpsOrchestrator.Text;

namespace MlOpsOrchestrator.Cli.Api;

/// <summary>
/// <c>GET /api/pipelines</c>, <c>GET /api/pipelines/{name}</c> and <c>POST /api/pipelines/{name}/runs</c>. A run started
/// here carries the body's <c>trigger</c> (run now as that trigger would: its steps subset and mode), else trigger
/// <c>api</c>, and no idempotency key, so <c>concurrency: skip</c> does not refuse it: that policy
/// is about scheduled fires overlapping, and a person asking for a run gets one.
/// </summary>
internal static class PipelineEndpoints
{
    private const int RunsInList = 1;
    private const int RunsInDetail = 10;

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/pipelines", ListAsync);
        routes.MapGet("/api/pipelines/{name}", GetAsync);
        routes.MapPost("/api/pipelines/{name}/runs", StartAsync);
    }

    private static async Task<IResult> ListAsync(PipelineCatalog catalog, PipelineViews views, CancellationToken ct)
    {
        var list = new List<PipelineView>();
        foreach (var entry in catalog.Entries)
        {
            list.Add(await views.BuildAsync(entry, RunsInList, ct));
        }

        return ApiJson.Ok(list);
    }

    private static async Task<IResult> GetAsync(string name, PipelineCatalog catalog, PipelineViews views, CancellationToken ct) =>
        catalog.Find(name) is { } entry ? ApiJson.Ok(await views.BuildAsync(entry, RunsInDetail, ct)) : Unknown(catalog, name);

    private static async Task<IResult> StartAsync(string name, HttpRequest request, PipelineCatalog catalog, IRunService service, IRunRepository runs, AccessPolicy policy, TimeProvider time, CancellationToken ct)
    {
        var (json, jsonError) = await ApiBody.ReadAsync(request, ct);
        var (body, bodyError) = jsonError is null ? RunStartBody.Parse(json) : (null, jsonError);
        if (body is null)
        {
            return ApiJson.BadRequest(bodyError!);
        }

        if (catalog.Find(name) is not { Definition: { } definition, Yaml: { } yaml })
        {
            return Unknown(catalog, name);
        }

        var caller = policy.Identify(request.HttpContext.Connection.RemoteIpAddress, request.Headers.Authorization, "api");
        StartResult result;
        try
        {
            result = await service.StartAsync(new RunRequest { Definition = definition, Yaml = yaml, Trigger = body.Trigger ?? RunRequest.ApiTrigger, Mode = body.Mode, Parameters = body.Parameters }, caller, ct);
        }
        catch (RunControlException ex)
        {
            return ex.NotFound ? ApiJson.NotFound(ex.Message) : ex.Invalid ? ApiJson.BadRequest(ex.Message) : ApiJson.Conflict(ex.Message);
        }

        if (result.Outcome != StartOutcome.Queued)
        {
            return ApiJson.Conflict(result.Reason ?? $"run {result.Run.RunId} was not queued");
        }

        var view = RunView.From(result.Run, await runs.GetStepsAsync(result.Run.RunId, ct), time.GetUtcNow());
        request.HttpContext.Response.Headers.Location = $"/api/runs/{Uri.EscapeDataString(view.RunId)}";
        return ApiJson.Status(view, StatusCodes.Status202Accepted);
    }

    private static IResult Unknown(PipelineCatalog catalog, string name)
    {
        var names = catalog.Entries.Select(e => e.Name).OfType<string>().ToList();
        return ApiJson.NotFound($"no pipeline named '{Echo.Value(name)}'{(names.Count > 0 ? $"; pipelines: {Echo.List(names)}" : "")}");
    }
}
