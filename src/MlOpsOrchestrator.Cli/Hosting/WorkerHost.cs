using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MlOpsOrchestrator.Cli.Composition;

namespace MlOpsOrchestrator.Cli.Hosting;

/// <summary>The <c>mlops worker</c> process: a Hangfire server over the shared PostgreSQL queue; no scheduler, no HTTP.</summary>
internal static class WorkerHost
{
    public static IHost Build(MlOpsHostSettings settings, Action<HostApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = typeof(WorkerHost).Assembly.GetName().Name,
            Args = [],
        });
        builder.ConfigureContainer(new DefaultServiceProviderFactory(MlOpsServiceCollectionExtensions.ProviderOptions));
        HostDefaults.Apply(builder.Services);
        builder.Services.AddMlOpsLogging(settings);
        builder.Services.AddMlOpsTelemetry(settings);
        builder.Services.AddMlOps(settings);
        configure?.Invoke(builder);
        return builder.Build();
    }
}
