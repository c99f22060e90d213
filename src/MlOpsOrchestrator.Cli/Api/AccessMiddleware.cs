using Microsoft.AspNetCore.Http;
using MlOpsOrchestrator.Security;

namespace MlOpsOrchestrator.Cli.Api;

/// <summary>
/// Applies <see cref="AccessPolicy"/>, the one authorization rule, to the API and <c>/health</c>: the machine itself
/// may do anything; others need a token (401 without one), and the read-only token may only read (403 otherwise).
/// </summary>
internal sealed class AccessMiddleware(RequestDelegate next, AccessPolicy policy)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var level = policy.Decide(context.Connection.RemoteIpAddress, context.Request.Headers.Authorization);
        if (level == AccessLevel.Denied)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"mlops\"";
            await ApiJson.Error(StatusCodes.Status401Unauthorized,
                    "requests from other machines need 'Authorization: Bearer TOKEN' with the server's MLOPS_API_TOKEN (or MLOPS_VIEWER_TOKEN to read)")
                .ExecuteAsync(context);
            return;
        }

        var method = context.Request.Method;
        if (level == AccessLevel.Read && !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)))
        {
            await ApiJson.Error(StatusCodes.Status403Forbidden, "this token may only read; starting runs, approving and rejecting need MLOPS_API_TOKEN")
                .ExecuteAsync(context);
            return;
        }

        await next(context);
    }
}
