using Hangfire.Dashboard;
using Microsoft.AspNetCore.Http;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>
/// Serves a project page: loads its data asynchronously from the request's container, then lets Hangfire render it
/// in the layout. Hangfire's page dispatcher is internal, so a one-route collection is used to reach it.
/// </summary>
internal sealed class PageDispatcher(Func<PageRequest, Task<DashboardPage>> load) : IDashboardDispatcher
{
    public async Task Dispatch(DashboardContext context)
    {
        var http = context.GetHttpContext();
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
        {
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            http.Response.Headers.Allow = "GET, HEAD";
            return;
        }

        var page = await load(new PageRequest(context));
        await RenderAsync(context, page);
    }

    public static Task RenderAsync(DashboardContext context, DashboardPage page)
    {
        var routes = new RouteCollection();
        routes.AddRazorPage("/", _ => page);
        return routes.FindDispatcher("/").Item1.Dispatch(context);
    }
}
