using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MlOpsOrchestrator.Security;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>The access level of a dashboard request, decided once by <see cref="AccessPolicy"/> and remembered for the request.</summary>
internal static class DashboardAccess
{
    private const string ItemKey = "MlOpsOrchestrator.Dashboard.Access";

    public static AccessLevel Decide(HttpContext http, AccessPolicy policy)
    {
        var level = policy.Decide(http.Connection.RemoteIpAddress, http.Request.Headers.Authorization.ToString());
        http.Items[ItemKey] = level;
        return level;
    }

    /// <summary>The level the authorization filter decided; decided here when the dashboard was mounted without it.</summary>
    public static AccessLevel Of(HttpContext http) =>
        http.Items.TryGetValue(ItemKey, out var level) && level is AccessLevel decided
            ? decided
            : Decide(http, Policy(http));

    /// <summary>
    /// Who a dashboard action is recorded as, as <see cref="AccessPolicy.Identify"/> established it:
    /// <c>local (127.0.0.1, dashboard)</c> on the machine itself, <c>ops (token, 10.0.0.5, dashboard)</c> for the
    /// basic-auth user <c>ops</c> with the API token.
    /// </summary>
    public static string Actor(HttpContext http) =>
        Policy(http).Identify(http.Connection.RemoteIpAddress, http.Request.Headers.Authorization.ToString(), "dashboard");

    /// <summary>The host's policy; read from the environment when the dashboard was mounted without one in the container.</summary>
    public static AccessPolicy Policy(HttpContext http) => http.RequestServices.GetService<AccessPolicy>() ?? AccessPolicy.FromEnvironment();
}
