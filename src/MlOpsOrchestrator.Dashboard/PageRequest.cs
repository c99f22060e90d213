using System.Text.RegularExpressions;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Http;
using MlOpsOrchestrator.Security;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>One dashboard request as a page or action sees it.</summary>
internal sealed class PageRequest(DashboardContext context)
{
    public DashboardContext Context { get; } = context;

    public HttpContext Http { get; } = context.GetHttpContext();

    public DashboardServices Services { get; } = DashboardServices.From(context.GetHttpContext().RequestServices);

    public CancellationToken Aborted => Http.RequestAborted;

    public bool CanWrite => DashboardAccess.Of(Http) == AccessLevel.Write;

    /// <summary>A named group of the route's pattern, e.g. the run id of <c>/runs/(?&lt;id&gt;[^/]+)</c>.</summary>
    public string Route(string group) => Context.UriMatch is Match { Success: true } match ? match.Groups[group].Value : string.Empty;

    public string Query(string name) => Http.Request.Query[name].ToString();

    public AntiforgeryField? Antiforgery => AntiforgeryField.Of(Context);

    /// <summary>A dashboard URL of <paramref name="path"/> (relative to the dashboard), for links and redirects.</summary>
    public string Url(string path) => new UrlHelper(Context).To(path);
}
