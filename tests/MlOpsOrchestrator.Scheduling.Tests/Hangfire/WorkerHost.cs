using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Scheduling.Hangfire;
using MlOpsOrchestrator.Storage;

namespace MlOpsOrchestrator.Scheduling.Tests.Hangfire;

/// <summary>Containers composed like the two kinds of process: one that only enqueues, and a worker that executes.</summary>
public static class WorkerHost
{
    /// <summary>A generic host with the execution queue and a Hangfire server, as <c>mlops worker</c> runs it.</summary>
    public static async Task<IHost> StartAsync(StorageSet storage, ChurnWorld world, ExecutionSettings settings, IStepExecutor? train = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = world.Home });
        builder.Services.AddLogging();
        builder.Services.AddRunServices(storage, world, train: train);
        builder.Services.AddMlOpsExecution(settings with { RunServer = true });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>A container that starts runs and queues them but executes nothing (<see cref="ExecutionSettings.RunServer"/> false).</summary>
    public static ServiceProvider Enqueuer(StorageSet storage, ChurnWorld world, ExecutionSettings settings) =>
        new ServiceCollection().AddLogging().AddRunServices(storage, world).AddMlOpsExecution(settings with { RunServer = false }).BuildServiceProvider();
}
