using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MlOpsOrchestrator.Security;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>Mounts the dashboard: Hangfire's own pages plus Pipelines, Runs and Models, behind <see cref="AccessPolicy"/>.</summary>
public static class DashboardApplicationBuilderExtensions
{
    /// <summary>
    /// Serves the dashboard under <paramref name="path"/>. Needs the services of
    /// <c>AddMlOpsExecution</c> (Hangfire, antiforgery) and the host's stores; the <see cref="AccessPolicy"/> is taken
    /// from the container, else from <c>MLOPS_API_TOKEN</c>/<c>MLOPS_VIEWER_TOKEN</c>.
    /// </summary>
    public static IApplicationBuilder UseMlOpsDashboard(this IApplicationBuilder app, string path = "/hangfire")
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (app.ApplicationServices.GetService<IAntiforgery>() is null)
        {
            // Without it Hangfire silently skips its CSRF check; refuse to serve POST actions unprotected.
            throw new InvalidOperationException("The dashboard needs the antiforgery services: call services.AddMlOpsExecution(...) (or services.AddAntiforgery()).");
        }

        DashboardRegistration.EnsureRegistered();
        var policy = app.ApplicationServices.GetService<AccessPolicy>() ?? AccessPolicy.FromEnvironment();
        var filter = new MlOpsDashboardAuthorizationFilter(policy);
        app.UseWhen(c => c.Request.Path.StartsWithSegments(path, StringComparison.OrdinalIgnoreCase), guarded => guarded.Use((http, next) => DashboardInput.GuardAsync(http, next, path)));
        return app.UseHangfireDashboard(path, new DashboardOptions
        {
            Authorization = [filter],
            AsyncAuthorization = [],
            IgnoreAntiforgeryToken = false,
            IsReadOnlyFunc = context => DashboardAccess.Of(context.GetHttpContext()) != AccessLevel.Write,
            DashboardTitle = "MLOps Orchestrator",
            AppPath = null, // serve has no site at "/": hide the "Back to site" link instead of pointing it at a 404
            DisplayStorageConnectionString = false,
        });
    }
}
