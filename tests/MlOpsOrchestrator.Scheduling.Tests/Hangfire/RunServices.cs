using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Data.Ingestion;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.ML.Steps.DataPrep;
using MlOpsOrchestrator.Notifications;
using MlOpsOrchestrator.Security;
using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Storage;
using MlOpsOrchestrator.Storage.Sources;

namespace MlOpsOrchestrator.Scheduling.Tests.Hangfire;

/// <summary>The run services a host registers beside the execution queue, composed as <c>serve</c> and <c>worker</c> compose them.</summary>
public static class RunServices
{
    public static IServiceCollection AddRunServices(
        this IServiceCollection services, StorageSet storage, ChurnWorld world, AccessPolicy? policy = null, IStepExecutor? train = null)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(storage.Runs);
        services.AddSingleton(storage.RunExecution);
        services.AddSingleton(storage.Registry);
        services.AddSingleton(storage.Watermarks);
        services.AddSingleton(storage.Artifacts);
        services.AddSingleton(storage.ModelEvaluations);
        services.AddSingleton(world.Loader);
        services.AddSingleton(world.Catalog);
        services.AddSingleton<RunDefinitionLoader>();
        services.AddSingleton<ISourceReader, CsvSourceReader>();
        services.AddSingleton<ISourceReader, PostgresSourceReader>();
        services.AddSingleton<SourceReaders>();
        services.AddSingleton<IStepExecutor, DataPrepExecutor>();
        services.AddSingleton<IStepExecutor>(train ?? new TrainExecutor(storage.Artifacts, storage.Registry, storage.ModelEvaluations, TimeProvider.System));
        services.AddSingleton<IStepExecutor, EvaluateExecutor>();
        services.AddSingleton<IStepExecutor, DeployExecutor>();
        services.AddSingleton<RunLauncher>();
        services.AddSingleton<INotifier, NoNotifications>();
        services.AddSingleton<RunExecutor>();
        services.AddSingleton<RunControl>();
        services.AddSingleton<RunStarter>();
        services.AddSingleton(sp => IRunService.Create(
            sp.GetRequiredService<RunStarter>(), sp.GetRequiredService<RunControl>(), sp.GetRequiredService<IRunDispatcher>(), sp.GetRequiredService<ILogger<IRunService>>()));
        services.AddSingleton(sp => IModelService.Create(storage.Registry, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<IModelService>>()));
        services.AddSingleton(policy ?? new AccessPolicy(null, null));
        return services;
    }
}
