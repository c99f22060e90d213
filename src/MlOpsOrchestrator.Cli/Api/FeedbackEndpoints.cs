using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using MlOpsOrchestrator.Cli.Promotion;
using MlOpsOrchestrator.Cli.Views;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Feedback;
using MlOpsOrchestrator.Security;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Cli.Api;

/// <summary>
/// <c>POST /api/models/{name}/feedback</c> (labels for earlier predictions; <c>promote_when</c> is judged right
/// after), <c>GET /api/models/{name}/online?window=24h</c> (online metrics per alias and version) and
/// <c>POST /api/models/{name}/withdraw</c> (remove a challenger alias). Writes need an editor token as other writes
/// do (the access middleware); what is acceptable is the services' rule, the same for the CLI and the dashboard.
/// </summary>
internal static class FeedbackEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/models/{name}/feedback", FeedbackAsync);
        routes.MapGet("/api/models/{name}/online", OnlineAsync);
        routes.MapPost("/api/models/{name}/withdraw", WithdrawAsync);
    }

    private static async Task<IResult> FeedbackAsync(
        string name, HttpRequest request, IFeedbackService feedback, AccessPolicy policy, IServiceProvider services, CancellationToken ct)
    {
        var (json, jsonError) = await ApiBody.ReadAsync(request, ct);
        var (labels, bodyError) = jsonError is null ? FeedbackBody.Parse(json) : (null, jsonError);
        if (labels is null)
        {
            return ApiJson.BadRequest(bodyError!);
        }

        var caller = policy.Identify(request.HttpContext.Connection.RemoteIpAddress, request.Headers.Authorization, "api");
        try
        {
            var receipt = await feedback.SubmitAsync(name, labels, AccessPolicy.Actor(caller, null), ct);
            var verdicts = receipt.Accepted > 0 && services.GetService<PromotionRunner>() is { } runner ? await runner.JudgeAsync(name, ct) : [];
            return ApiJson.Ok(FeedbackView.Of(receipt, verdicts));
        }
        catch (ModelControlException ex)
        {
            return ex.NotFound ? ApiJson.NotFound(ex.Message) : ApiJson.BadRequest(ex.Message);
        }
    }

    private static async Task<IResult> OnlineAsync(string name, string? window, IOnlineMetrics metrics, IModelRegistry registry, TimeProvider time, CancellationToken ct)
    {
        var chosen = string.IsNullOrWhiteSpace(window) ? IOnlineMetrics.DefaultWindow : window.Trim();
        if (!IOnlineMetrics.Windows.TryGetValue(chosen, out var span))
        {
            return ApiJson.BadRequest($"unknown window '{Text.Echo.Value(chosen)}'; use one of {Text.Echo.Quoted(IOnlineMetrics.Windows.Keys)}");
        }

        if ((await registry.ListVersionsAsync(name, ct)).Count == 0)
        {
            var names = await registry.ListNamesAsync(ct);
            return ApiJson.NotFound($"no model named '{Text.Echo.Value(name)}'{(names.Count > 0 ? $"; models: {Text.Echo.List(names)}" : "")}");
        }

        return ApiJson.Ok(await metrics.ComputeAsync(name, time.GetUtcNow() - span, ct));
    }

    private static async Task<IResult> WithdrawAsync(string name, HttpRequest request, IModelService models, AccessPolicy policy, CancellationToken ct)
    {
        var (json, jsonError) = await ApiBody.ReadAsync(request, ct);
        var (body, bodyError) = jsonError is null ? AliasMoveBody.Parse(json, promote: false) : (null, jsonError);
        if (body is null)
        {
            return ApiJson.BadRequest(bodyError!);
        }

        if (json is null || !json.Value.TryGetProperty("alias", out _))
        {
            return ApiJson.BadRequest("'alias' is required: the challenger alias to withdraw (canary, shadow)");
        }

        var caller = policy.Identify(request.HttpContext.Connection.RemoteIpAddress, request.Headers.Authorization, "api");
        try
        {
            return ApiJson.Ok(await models.WithdrawAsync(name, body.Alias, AccessPolicy.Actor(caller, body.By), body.Reason, ct));
        }
        catch (ModelControlException ex)
        {
            return ex.NotFound ? ApiJson.NotFound(ex.Message) : ex.Field is { } field ? ApiJson.BadRequest($"'{field}': {ex.Message}") : ApiJson.Conflict(ex.Message);
        }
    }
}
