using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.ML.Data.Ingestion;
using MlOpsOrchestrator.ML.Monitoring;
using MlOpsOrchestrator.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Cli.Api;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.ML.Steps.DataPrep;
using MlOpsOrchestrator.ML.Trainers;
using MlOpsOrchestrator.Scheduling.Cron;
using MlOpsOrchestrator.Scheduling.Hangfire;
using MlOpsOrchestrator.Scheduling.Quartz;
using MlOpsOrchestrator.Security;
using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Storage;
using MlOpsOrchestrator.Storage.Sources;

namespace MlOpsOrchestrator.Cli.Hosting;

/// <summary>The one registration entry point of the long-running hosts (<c>serve</c>, <c>worker</c>).</summary>
internal static class MlOpsServiceCollectionExtensions
{
    /// <summary>
    /// Composes the product: storage (opened when the host starts), the pipeline loader and catalog, the run launcher,
    /// executor (with the ML step executors), control and starter, the access policy, the Hangfire execution queue
    /// and, under <c>serve</c>, the Quartz scheduler. Settings are checked first; every problem is listed in the
    /// <see cref="MlOpsSettingsException"/>.
    /// </summary>
    public static IServiceCollection AddMlOps(this IServiceCollection services, MlOpsHostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        var problems = MlOpsHostSettingsValidator.Validate(settings);
        if (problems.Count > 0)
        {
            throw new MlOpsSettingsException(problems);
        }

        services.AddSingleton(settings);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<StorageHandle>();
        services.AddHostedService<MlOpsStartup>();
        services.AddSingleton(sp => sp.GetRequiredService<StorageHandle>().Storage);
        services.AddSingleton(sp => sp.GetRequiredService<StorageSet>().Runs);
        services.AddSingleton(sp => sp.GetRequiredService<StorageSet>().RunExecution);
        services.AddSingleton(sp => sp.GetRequiredService<StorageSet>().Registry);
        services.AddSingleton(sp => sp.GetRequiredService<StorageSet>().Watermarks);
        services.AddSingleton(sp => sp.GetRequiredService<StorageSet>().Artifacts);
        services.AddSingleton(sp => sp.GetRequiredService<StorageSet>().Evaluations);
        services.AddSingleton(sp => sp.GetRequiredService<StorageSet>().Predictions);

        services.AddSingleton<ICronEvaluator>(QuartzCronEvaluator.Instance);
        services.AddSingleton<ITrainerCatalog>(MlNetTrainerCatalog.Default);
        services.AddSingleton(sp => new PipelineLoaderOptions { DataRoot = settings.DataRoot, Time = sp.GetRequiredService<TimeProvider>(), Sources = [.. sp.GetServices<ISourceReader>().Select(r => r.Keys)] });
        services.AddSingleton<PipelineLoader>();
        services.AddSingleton(sp => new PipelineCatalog(sp.GetRequiredService<PipelineLoader>(), settings.PipelinesFolder, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<RunDefinitionLoader>();

        services.AddSingleton<ISourceReader, CsvSourceReader>();
        services.AddSingleton<ISourceReader, PostgresSourceReader>();
        services.AddSingleton<SourceReaders>();
        services.AddSingleton<IStepExecutor, DataPrepExecutor>();
        services.AddSingleton<IStepExecutor, TrainExecutor>();
        services.AddSingleton<IStepExecutor, EvaluateExecutor>();
        services.AddSingleton<IStepExecutor, DeployExecutor>();
        services.AddSingleton<IStepExecutor, MonitorExecutor>();
        services.AddSingleton<IStepExecutor, RetrainExecutor>();
        services.AddSingleton<RunLauncher>();
        services.AddSingleton(sp => new RunExecutor(
            sp.GetRequiredService<IRunRepository>(),
            sp.GetRequiredService<IRunExecutionStore>(),
            sp.GetRequiredService<IModelRegistry>(),
            sp.GetRequiredService<IWatermarkStore>(),
            sp.GetRequiredService<IArtifactStore>(),
            sp.GetServices<IStepExecutor>(),
            sp.GetRequiredService<RunDefinitionLoader>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<RunExecutor>>())
        {
            Evaluations = sp.GetRequiredService<IEvaluationStore>(),
            Predictions = sp.GetRequiredService<IPredictionLog>(),
            Starter = sp.GetRequiredService<RunStarter>(),
        });
        services.AddSingleton<RunControl>();
        services.AddSingleton<RunStarter>();
        services.AddSingleton(sp => IRunService.Create(
            sp.GetRequiredService<RunStarter>(), sp.GetRequiredService<RunControl>(), sp.GetRequiredService<IRunDispatcher>(), sp.GetRequiredService<ILogger<IRunService>>()));
        services.AddSingleton(_ => AccessPolicy.FromEnvironment(settings.AllowedOrigins));
        services.AddSingleton<PredictionLogWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<PredictionLogWriter>());

        services.AddMlOpsExecution(settings.Execution());
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
        }

        return services;
    }
}
