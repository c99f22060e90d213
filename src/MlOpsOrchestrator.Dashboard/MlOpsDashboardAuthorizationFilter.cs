using System.Security.Claims;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Http;
using MlOpsOrchestrator.Security;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>
/// The dashboard's side of <see cref="AccessPolicy"/>: the machine itself and the API token may do everything, the
/// viewer token may only look, anyone else is asked for a token. Replaces Hangfire's loopback-only default, which is
/// wrong both behind a proxy (everything looks local) and in a container (everything looks remote). A request that
/// changes state from a page of another origin is refused whoever sends it (<see cref="AccessPolicy.CrossOrigin"/>).
/// </summary>
public sealed class MlOpsDashboardAuthorizationFilter(AccessPolicy policy) : IDashboardAuthorizationFilter, IDashboardAsyncAuthorizationFilter
{
    /// <summary>Sent with 401 so a browser prompts; the token goes in the password (or the user name) field.</summary>
    public const string Challenge = "Basic realm=\"mlops\"";

    public bool Authorize(DashboardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.GetHttpContext();
        var level = DashboardAccess.Decide(http, policy);
        if (level != AccessLevel.Denied && ActionDispatcher.CrossSite(http.Request, policy) is not null)
        {
            // A page of another origin posting through the operator's browser (Hangfire's own actions included).
            return RefuseKnown(http, "cross-origin");
        }

        switch (level)
        {
            case AccessLevel.Write:
                return true;
            case AccessLevel.Read when IsReading(http.Request):
                return true;
            case AccessLevel.Read:
                return RefuseKnown(http, "viewer");
            default:
                http.Response.Headers.WWWAuthenticate = Challenge;
                return false;
        }
    }

    /// <summary>
    /// Hangfire answers a refusal with 401 for an anonymous user and 403 for an authenticated one. The caller is known,
    /// so make it authenticated for the rest of this (refused) request: it gets 403, and a browser does not prompt for
    /// another password. Allowed requests keep their user untouched, so the antiforgery tokens stay bound to the same
    /// identity on GET and POST.
    /// </summary>
    private static bool RefuseKnown(HttpContext http, string role)
    {
        http.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Role, role)], "mlops-" + role));
        return false;
    }

    public Task<bool> AuthorizeAsync(DashboardContext context) => Task.FromResult(Authorize(context));

    /// <summary>Reads: GET and HEAD, and the stock dashboard's statistics poll, which is a POST that changes nothing.</summary>
    private static bool IsReading(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)
        || (HttpMethods.IsPost(request.Method) && string.Equals(request.Path.Value, "/stats", StringComparison.OrdinalIgnoreCase));
}
