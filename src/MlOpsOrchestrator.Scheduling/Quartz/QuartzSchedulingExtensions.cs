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
    /// With <see cref="SchedulerSettings.PostgresConnectionString"/> Quartz uses its clustered ADO.NET store in that
    /// database (tables provisioned at start), so each trigger fires on one node only and a dead node's fires are taken
    /// over by another. With <see cref="SchedulerSettings.SqlitePath"/> it uses its ADO.NET store in that SQLite file, not
    /// clustered, owned by this process alone (<see cref="SqliteStoreOwnership"/>); with neither, its in-memory store.
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
        services.AddSingleton<SchedulerErrorWatch>();
        if (settings.PostgresConnectionString is null)
        {
            // One process owns the store (memory, or the SQLite file under its lock): nothing to coordinate.
            services.AddSingleton<IScheduleLock, InProcessScheduleLock>();
        }
        else
        {
            services.AddSingleton<IScheduleLock, PostgresScheduleLock>();
        }

        services.AddSingleton<IScheduleInfo, QuartzScheduleInfo>();
        services.AddTransient<PipelineFireJob>();
        services.AddTransient<FeatureRefreshJob>();

        // Both run in the host's Starting phase, before any StartAsync, in this order: the SQLite store is claimed before
        // it is touched, and the tables must exist before Quartz's hosted service creates the scheduler, which
        // validates them.
        services.AddSingleton<IHostedService, SqliteStoreOwnership>();
        services.AddSingleton<IHostedService, QuartzSchemaProvisioner>();
        services.AddQuartz(q => Configure(q, settings));
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        services.AddSingleton<IHostedService, TriggerSynchronizer>();
        return services;
    }

    private static void Configure(IQuartzBuilder quartz, SchedulerSettings settings)
    {
        quartz.AddSchedulerListener<SchedulerErrorWatch>(sp => sp.GetRequiredService<SchedulerErrorWatch>());
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
            if (settings.SqlitePath is { } path)
            {
                UseSqlite(quartz, path, settings);
            }
            else
            {
                quartz.UseInMemoryStore(o => o.MisfireThreshold = settings.MisfireThreshold);
            }

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

    /// <summary>
    /// Quartz's own SQLite support (Microsoft.Data.Sqlite), not clustered: Quartz serializes every store operation in
    /// process, and <see cref="SqliteStoreOwnership"/> keeps other processes off the file. The schema is provisioned
    /// beforehand (<see cref="QuartzSchemaProvisioner"/>); Quartz validates it.
    /// </summary>
    private static void UseSqlite(IQuartzBuilder quartz, string path, SchedulerSettings settings) =>
        quartz.UsePersistentStore(store =>
        {
            store.UseSqlite(SqliteScheduleConnections.Instance, QuartzSchemaProvisioner.SqliteConnectionString(path));
            store.UseSystemTextJsonSerializer();
            store.ConfigureStore(o =>
            {
                o.TablePrefix = settings.TablePrefix;
                o.MisfireThreshold = settings.MisfireThreshold;
            });
        });
}
