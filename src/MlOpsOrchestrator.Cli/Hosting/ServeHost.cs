using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MlOpsOrchestrator.Cli.Composition;
using MlOpsOrchestrator.Cli.Api;
using MlOpsOrchestrator.Dashboard;

namespace MlOpsOrchestrator.Cli.Hosting;

/// <summary>
/// The <c>mlops serve</c> process: scheduler, executor, dashboard and API on one ASP.NET Core host. Nothing is read
/// from the command line here; settings arrive resolved.
/// </summary>
internal static class ServeHost
{
    /// <param name="settings">Resolved settings; checked again by <see cref="MlOpsHostServiceCollectionExtensions.AddMlOps(Microsoft.Extensions.DependencyInjection.IServiceCollection, MlOpsHostSettings)"/>.</param>
    /// <param name="configure">Last word on the builder (tests add middleware through an <c>IStartupFilter</c> here).</param>
    public static WebApplication Build(MlOpsHostSettings settings, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(ServeHost).Assembly.GetName().Name,
            Args = [],
        });
        builder.WebHost.UseUrls([.. settings.Urls]);
        builder.Host.UseDefaultServiceProvider(o =>
        {
            o.ValidateOnBuild = MlOpsServiceCollectionExtensions.ProviderOptions.ValidateOnBuild;
            o.ValidateScopes = MlOpsServiceCollectionExtensions.ProviderOptions.ValidateScopes;
        });
        HostDefaults.Apply(builder.Services);
        builder.Services.AddMlOpsLogging(settings);
        builder.Services.AddMlOpsTelemetry(settings);
        builder.Services.AddMlOps(settings);
        builder.Services.AddMlOpsApi(new ApiSettings(settings.Urls, settings.AllowedHosts, settings.Embedded, MlOpsHostSettings.DashboardPath));

        // The dashboard's antiforgery tokens are signed with these keys: in PostgreSQL (a cluster), so a form rendered by
        // one serve is accepted by another; in the home folder for the embedded mode. A restart keeps open pages valid.
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName("mlops");
        if (settings.Postgres is null)
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(settings.Home, "keys")));
        }
        else
        {
            builder.Services.AddOptions<KeyManagementOptions>()
                .Configure<StorageHandle>((options, storage) => options.XmlRepository = new DatabaseXmlRepository(storage));
        }

        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseMlOpsApi();
        app.UseMlOpsDashboard(MlOpsHostSettings.DashboardPath);
        app.MapMlOpsApi();
        app.MapMlOpsMetrics();
        return app;
    }
}
