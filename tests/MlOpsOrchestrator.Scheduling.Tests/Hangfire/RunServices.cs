using Microsoft.Extensions.DependencyInjection;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Data;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.Security;
using MlOpsOrchestrator.Storage;

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
        services.AddSingleton(world.Loader);
        services.AddSingleton(world.Catalog);
        services.AddSingleton<RunDefinitions>();
        services.AddSingleton<IStepExecutor, DataPrepExecutor>();
        services.AddSingleton<IStepExecutor>(train ?? new TrainExecutor());
        services.AddSingleton<IStepExecutor, EvaluateExecutor>();
        services.AddSingleton<IStepExecutor, DeployExecutor>();
        services.AddSingleton<RunLauncher>();
        services.AddSingleton<RunExecutor>();
        services.AddSingleton<RunControl>();
        services.AddSingleton<RunStarter>();
        services.AddSingleton(policy ?? new AccessPolicy(null, null));
        return services;
    }
}
