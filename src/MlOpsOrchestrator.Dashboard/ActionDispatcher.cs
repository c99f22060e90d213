using Hangfire.Dashboard;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MlOpsOrchestrator.Security;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>
/// Serves a dashboard action (approve, reject, promote, rollback): POST only, write access only, same origin only,
/// and a valid antiforgery token, checked here even though Hangfire's middleware checks the token too, so an action
/// never runs when antiforgery is not configured. Success redirects (303) to the page showing the result.
/// </summary>
internal sealed class ActionDispatcher(Func<PageRequest, Task<ActionResult>> act) : IDashboardDispatcher
{
    public async Task Dispatch(DashboardContext context)
    {
        var http = context.GetHttpContext();
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            http.Response.Headers.Allow = "POST";
            return;
        }

        if (DashboardAccess.Of(http) != AccessLevel.Write)
        {
            await Refuse(http, "this token may only read; approving, rejecting, promoting and rolling back need the API token");
            return;
        }

        if (CrossSite(http.Request, DashboardAccess.Policy(http)) is { } reason)
        {
            await Refuse(http, reason);
            return;
        }

        var antiforgery = http.RequestServices.GetService<IAntiforgery>();
        if (antiforgery is null || !await antiforgery.IsRequestValidAsync(http))
        {
            await Refuse(http, "missing or invalid antiforgery token; reload the page and try again");
            return;
        }

        var request = new PageRequest(context);
        var result = await act(request);
        if (result.RedirectPath is { } path)
        {
            http.Response.StatusCode = StatusCodes.Status303SeeOther;
            http.Response.Headers.Location = request.Url(path);
            return;
        }

        http.Response.StatusCode = result.StatusCode;
        await PageDispatcher.RenderAsync(context, result.Page!);
    }

    /// <summary>
    /// Why the request comes from a page of another origin, or null: <see cref="AccessPolicy.CrossOrigin"/>, the rule the
    /// API follows too (the dashboard's own origin, <c>MLOPS_ALLOWED_ORIGINS</c>, or the API token as Bearer).
    /// </summary>
    internal static string? CrossSite(HttpRequest request, AccessPolicy policy) =>
        policy.CrossOrigin(request.Method, request.Host.Value ?? "", request.Headers.Origin, request.Headers.Referer, request.Headers["Sec-Fetch-Site"], request.Headers.Authorization);

    private static async Task Refuse(HttpContext http, string reason)
    {
        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync(reason, http.RequestAborted);
    }
}
