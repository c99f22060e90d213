using Microsoft.Extensions.DependencyInjection;
using MlOpsOrchestrator.Cli.Api;
using MlOpsOrchestrator.Cli.Composition;
using MlOpsOrchestrator.Cli.Runtime;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.Scheduling.Quartz;
using MlOpsOrchestrator.Security;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Cli.Hosting;

/// <summary>The hosts' use of the one composition entry (<see cref="Composition.MlOpsServiceCollectionExtensions"/>).</summary>
internal static class MlOpsHostServiceCollectionExtensions
{
    /// <summary>
    /// <c>serve</c> and <c>worker</c>: the product as <see cref="MlOpsServiceCollectionExtensions.AddMlOps(IServiceCollection, Action{MlOpsBuilder})"/>
    /// composes it from the host settings (storage, data root, the Hangfire queue), plus what only a host has: the
    /// pipelines folder's catalog, the access policy, the prediction log writer, recovery of lost runs and, under
    /// <c>serve</c>, the Quartz scheduler. Settings are checked first; every problem is listed in the
    /// <see cref="MlOpsSettingsException"/>.
    /// </summary>
    internal static IServiceCollection AddMlOps(this IServiceCollection services, MlOpsHostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        var problems = MlOpsHostSettingsValidator.Validate(settings);
        if (problems.Count > 0)
        {
            throw new MlOpsSettingsException(problems);
        }

        services.AddSingleton(settings);
        services.AddMlOps(mlops =>
        {
            _ = settings.Postgres is { } postgres ? mlops.UsePostgres(postgres, settings.Home) : mlops.UseSqlite(settings.Home);
            mlops.UseDataRoot(settings.DataRoot).UseHangfire(settings.Execution()).UseNotifications(settings.Notifications());
        });

        services.AddSingleton(sp => new PipelineCatalog(sp.GetRequiredService<PipelineLoader>(), settings.PipelinesFolder, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(_ => AccessPolicy.FromEnvironment(settings.AllowedOrigins));
        services.AddSingleton(new SavedReplays(settings.Home));
        services.AddSingleton(new Dashboard.RunLogs(settings.LogsFolder));
        services.AddSingleton<PredictionLogWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<PredictionLogWriter>());
        if (settings.Embedded)
        {
            services.AddHostedService<EmbeddedQueueRecovery>();
        }
        else if (settings.Role == HostRole.Serve)
        {
            services.AddSingleton(settings.LostRuns ?? LostRunSettings.Default);
            services.AddSingleton<LostRunRecovery>();
            services.AddHostedService(sp => sp.GetRequiredService<LostRunRecovery>());
        }

        if (settings.Role == HostRole.Serve)
        {
            services.AddMlOpsScheduler(settings.Scheduler());
            services.AddSingleton<Execution.IOnlineFeatureRefresh, OnlineFeatureRefresh>();
            services.AddHostedService<GarbageCollectionService>();
            services.AddSingleton<Promotion.PromotionRunner>();
            services.AddHostedService<OnlinePromotionService>();
        }

        return services;
    }
}
