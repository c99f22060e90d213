using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Cli.Notifications;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.ML.Data.Ingestion;
using MlOpsOrchestrator.ML.Trainers;
using MlOpsOrchestrator.Notifications;
using MlOpsOrchestrator.Cli.Retention;
using MlOpsOrchestrator.Retention;
using MlOpsOrchestrator.Scheduling.Cron;
using MlOpsOrchestrator.Scheduling.Hangfire;
using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Storage;
using MlOpsOrchestrator.Storage.Sources;

namespace MlOpsOrchestrator.Cli.Composition;

/// <summary>
/// The one place the product is wired: <c>serve</c>, <c>worker</c>, the one-shot commands, the tests and the
/// benchmarks all compose it through <see cref="AddMlOps(IServiceCollection, Action{MlOpsBuilder})"/>.
/// </summary>
public static class MlOpsServiceCollectionExtensions
{
    /// <summary>
    /// The container checks, when it is built, that every registered service can be constructed (a step executor whose
    /// constructor asks for something nobody registered fails the start, not the step) and that no singleton holds a
    /// scoped service.
    /// </summary>
    public static ServiceProviderOptions ProviderOptions => new() { ValidateOnBuild = true, ValidateScopes = true };

    /// <summary>
    /// Composes the product: storage (opened asynchronously, see <see cref="OpenMlOpsStorageAsync"/>), the pipeline
    /// loader, the step executors (each taking the stores, clock and run starter it uses in its constructor), the run
    /// executor, launcher, control, starter and run service, and the dispatcher chosen. Fails with an
    /// <see cref="MlOpsCompositionException"/> naming every missing choice and the builder call that makes it.
    /// </summary>
    public static IServiceCollection AddMlOps(this IServiceCollection services, Action<MlOpsBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new MlOpsBuilder(services);
        configure(builder);
        if (builder.Problems() is { Count: > 0 } problems)
        {
            throw new MlOpsCompositionException(problems);
        }

        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        var storage = builder.Storage!;
        services.AddSingleton(storage);
        services.AddSingleton<StorageHandle>();
        services.AddHostedService<MlOpsStartup>();
        if (storage.Opened is { } opened)
        {
            services.AddSingleton(opened); // the caller's: an instance, so the container leaves it open
        }
        else
        {
            services.AddSingleton(sp => sp.GetRequiredService<StorageHandle>().Storage);
        }

        services.AddSingleton(sp => sp.GetRequiredService<StorageSet>().Runs);
        services.AddSingleton(sp => sp.GetRequiredService<StorageSet>().RunExecution);
        services.AddSingleton(sp => sp.GetRequiredService<StorageSet>().Registry);
        services.AddSingleton(sp => sp.GetRequiredService<StorageSet>().Watermarks);
        services.AddSingleton(sp => sp.GetRequiredService<StorageSet>().Artifacts);
        services.AddSingleton(sp => sp.GetRequiredService<StorageSet>().Evaluations);
        services.AddSingleton(sp => sp.GetRequiredService<StorageSet>().ModelEvaluations);
        services.AddSingleton(sp => sp.GetRequiredService<StorageSet>().Predictions);
        services.AddSingleton(sp => sp.GetRequiredService<StorageSet>().Feedback);

        services.TryAddSingleton<ICronEvaluator>(QuartzCronEvaluator.Instance);
        services.TryAddSingleton<ITrainerCatalog>(MlNetTrainerCatalog.Default);
        var dataRoot = builder.DataRoot;
        services.TryAddSingleton(sp => new PipelineLoaderOptions
        {
            DataRoot = dataRoot ?? Directory.GetCurrentDirectory(),
            Time = sp.GetRequiredService<TimeProvider>(),
            Sources = [.. sp.GetServices<ISourceReader>().Select(r => r.Keys)],
        });
        services.AddSingleton<PipelineLoader>();
        services.AddSingleton<RunDefinitionLoader>();

        Add<ISourceReader>(services, typeof(CsvSourceReader), builder.SourceDecorator);
        Add<ISourceReader>(services, typeof(PostgresSourceReader), builder.SourceDecorator);
        services.AddSingleton<SourceReaders>();
        foreach (var executor in builder.Executors.Values)
        {
            Add<IStepExecutor>(services, executor, builder.StepDecorator);
        }

        services.AddSingleton(builder.Notifications ?? NotifySettings.FromEnvironment(Environment.GetEnvironmentVariable, out _));
        services.AddSingleton<INotifier, WebhookNotifier>();
        services.TryAddSingleton(RetentionDefaults.FromEnvironment(Environment.GetEnvironmentVariable, out _));
        services.AddSingleton<GarbageCollector>();
        services.AddSingleton<RunLauncher>();
        services.AddSingleton<RunExecutor>();
        services.AddSingleton<RunControl>();
        services.AddSingleton<RunStarter>();
        services.AddSingleton(sp => IRunService.Create(
            sp.GetRequiredService<RunStarter>(), sp.GetRequiredService<RunControl>(), sp.GetRequiredService<IRunDispatcher>(), sp.GetRequiredService<ILogger<IRunService>>()));

        services.AddSingleton(sp => IModelService.Create(
            sp.GetRequiredService<Stores.IModelRegistry>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<IModelService>>()));
        FeedbackRegistration.Add(services);
        FeatureRegistration.Add(services);
        services.AddSingleton(sp => Evaluations.IEvaluationService.Create(
            sp.GetRequiredService<Stores.IModelRegistry>(), sp.GetRequiredService<Stores.IModelEvaluationStore>()));

        if (builder.Hangfire is { } execution)
        {
            services.AddMlOpsExecution(execution);
        }
        else
        {
            services.AddSingleton<InProcessRunDispatcher>();
            services.AddSingleton<IRunDispatcher>(sp => sp.GetRequiredService<InProcessRunDispatcher>());
        }

        return services;
    }

    /// <summary>
    /// Registers <paramref name="type"/> as a <typeparamref name="TService"/>: by type, so the container checks its
    /// constructor when it is built, or, with a decorator, made by the container and then wrapped.
    /// </summary>
    private static void Add<TService>(IServiceCollection services, Type type, Func<TService, TService>? decorate)
        where TService : class
    {
        if (decorate is null)
        {
            services.AddSingleton(typeof(TService), type);
        }
        else
        {
            services.AddSingleton(sp => decorate((TService)ActivatorUtilities.CreateInstance(sp, type)));
        }
    }

    /// <summary>
    /// A container of the composed product, checked as <see cref="ProviderOptions"/> says. Its storage is not open yet:
    /// call <see cref="OpenMlOpsStorageAsync"/> (a host's start does it for hosts).
    /// </summary>
    public static ServiceProvider BuildMlOpsServiceProvider(this IServiceCollection services) =>
        services.BuildServiceProvider(ProviderOptions);

    /// <summary>
    /// Opens (and migrates) the storage chosen with <c>UseSqlite</c>/<c>UsePostgres</c>, as a host does when it starts:
    /// the one way the stores become available, for hosts, one-shot commands and tests alike.
    /// </summary>
    public static Task OpenMlOpsStorageAsync(this IServiceProvider services, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetRequiredService<StorageHandle>().OpenAsync(ct);
    }
}
