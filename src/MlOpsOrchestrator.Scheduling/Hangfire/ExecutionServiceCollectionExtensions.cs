using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MlOpsOrchestrator.Execution;

namespace MlOpsOrchestrator.Scheduling.Hangfire;

/// <summary>Registers the execution queue: Hangfire storage, the run dispatcher, and (for serve and worker) the server.</summary>
public static class ExecutionServiceCollectionExtensions
{
    /// <summary>How often an idle worker polls PostgreSQL. Long polling (LISTEN/NOTIFY) lost jobs here; polling does not.</summary>
    public static readonly TimeSpan QueuePollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// How long a job taken by a worker that died stays invisible before another worker takes it. Live workers keep
    /// extending it (sliding), so it can be short: it is what bounds how long a run waits after its worker dies. The
    /// job that comes back then claims the run only once the dead owner's heartbeat is stale (RunLiveness.StaleAfter),
    /// and resumes it after its last finished step.
    /// </summary>
    public static readonly TimeSpan InvisibilityTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Adds Hangfire on PostgreSQL (shared by every process on the database) or in memory (this process only), the
    /// <see cref="IRunDispatcher"/> that turns a run into a job whose only argument is the run id, and, when
    /// <see cref="ExecutionSettings.RunServer"/>, a server that executes those jobs with <see cref="RunJob"/>.
    /// The host registers the run services the job resolves (<see cref="RunExecutor"/>, the stores); antiforgery
    /// services are added here because the dashboard's POST actions depend on them.
    /// </summary>
    public static IServiceCollection AddMlOpsExecution(this IServiceCollection services, ExecutionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Validate() is { Count: > 0 } errors)
        {
            throw new ArgumentException("Invalid execution settings: " + string.Join(" ", errors), nameof(settings));
        }

        // Storage and activator are this container's own instances, registered before AddHangfire so its defaults (the
        // process-wide JobStorage.Current and JobActivator.Current) do not apply: two hosts in one process (tests, or a
        // host started again) never share or outlive each other's storage.
        services.AddSingleton<JobStorage>(sp =>
        {
            // Hangfire's global configuration first: it points Hangfire's process-wide logging at this container (the
            // storage logs while it starts) and sets the serializer the storage uses.
            _ = sp.GetRequiredService<IGlobalConfiguration>();
            var storage = CreateStorage(settings);
            JobStorage.Current = storage;
            return storage;
        });
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire(configuration => configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        services.TryAddTransient<RunJob>();
        services.AddSingleton<IRunDispatcher, HangfireRunDispatcher>();
        services.AddAntiforgery();
        if (settings.RunServer)
        {
            services.AddHangfireServer(options =>
            {
                options.WorkerCount = settings.WorkerCount;
                options.Queues = [.. settings.Queues];
            });
        }

        return services;
    }

    private static JobStorage CreateStorage(ExecutionSettings settings)
    {
        if (settings.PostgresConnectionString is not { } connectionString)
        {
            return new InMemoryStorage(new InMemoryStorageOptions());
        }

        var options = new PostgreSqlStorageOptions
        {
            SchemaName = settings.SchemaName,
            QueuePollInterval = QueuePollInterval,
            PrepareSchemaIfNecessary = true,
            UseSlidingInvisibilityTimeout = true,
            InvisibilityTimeout = InvisibilityTimeout,
        };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options, null), options);
    }
}
