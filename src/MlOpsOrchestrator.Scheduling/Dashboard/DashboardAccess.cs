using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MlOpsOrchestrator.Security;

namespace MlOpsOrchestrator.Scheduling.Dashboard;

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
            : Decide(http, http.RequestServices.GetService<AccessPolicy>() ?? AccessPolicy.FromEnvironment());

    /// <summary>Who a dashboard action is recorded as: <c>dashboard</c> on the machine itself, else with the token's role.</summary>
    public static string Actor(HttpContext http)
    {
        var remote = http.Connection.RemoteIpAddress;
        var local = remote is not null && IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote);
        return local ? "dashboard" : "dashboard (api token)";
    }
}
