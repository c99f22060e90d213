using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Quartz;

namespace MlOpsOrchestrator.Scheduling.Quartz;

public static class QuartzSchedulingExtensions
{
    /// <summary>
    /// Registers Quartz with the pipelines' cron triggers kept in sync with the pipelines folder. The host must register
    /// singletons of <c>PipelineCatalog</c> (the folder), <c>RunStarter</c> (how a fire becomes a queued run) and
    /// <c>IRunRepository</c> and <c>IRunExecutionStore</c> (which the starter uses too).
    /// Without <see cref="SchedulerSettings.PostgresConnectionString"/> Quartz keeps triggers in memory; with it, Quartz
    /// uses its clustered ADO.NET store in that database (tables provisioned at start), so each trigger fires on one
    /// node only and a dead node's fires are taken over by another.
    /// </summary>
    public static IServiceCollection AddMlOpsScheduler(this IServiceCollection services, SchedulerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        settings.ThrowIfInvalid();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(settings);
        services.AddSingleton<ScheduleReconciler>();
        services.AddSingleton<CatalogReport>();
        if (settings.PostgresConnectionString is null)
        {
            services.AddSingleton<IScheduleLock, InProcessScheduleLock>();
        }
        else
        {
            services.AddSingleton<IScheduleLock, PostgresScheduleLock>();
        }

        services.AddSingleton<IScheduleInfo, QuartzScheduleInfo>();
        services.AddTransient<PipelineFireJob>();

        // Provisions in the host's Starting phase, before any StartAsync: the tables must exist before Quartz's hosted
        // service creates the scheduler, which validates them.
        services.AddSingleton<IHostedService, QuartzSchemaProvisioner>();
        services.AddQuartz(q => Configure(q, settings));
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        services.AddSingleton<IHostedService, TriggerSynchronizer>();
        return services;
    }

    private static void Configure(IQuartzBuilder quartz, SchedulerSettings settings)
    {
        quartz.ConfigureScheduler(o =>
        {
            o.InstanceName = settings.InstanceName;
            if (settings.InstanceId == SchedulerSettings.AutoInstanceId)
            {
                o.GenerateInstanceId = true;
            }
            else
            {
                o.InstanceId = settings.InstanceId;
            }
        });

        if (settings.PostgresConnectionString is not { } connectionString)
        {
            quartz.UseInMemoryStore(o => o.MisfireThreshold = settings.MisfireThreshold);
            return;
        }

        quartz.UsePersistentStore(store =>
        {
            store.UsePostgres(connectionString);
            store.UseClustering(c =>
            {
                c.CheckinInterval = settings.CheckinInterval;
                c.CheckinMisfireThreshold = settings.CheckinInterval;
            });
            store.UseSystemTextJsonSerializer();
            store.ConfigureStore(o =>
            {
                o.TablePrefix = settings.QualifiedTablePrefix;
                o.MisfireThreshold = settings.MisfireThreshold;
            });
        });
    }
}
