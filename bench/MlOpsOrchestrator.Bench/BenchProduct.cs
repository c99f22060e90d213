using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Cli.Composition;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Storage;

namespace MlOpsOrchestrator.Bench;

/// <summary>
/// The product as <c>AddMlOps</c> composes it for a one-shot command (runs kept in process), over stores the benchmark
/// opened itself: what is measured is wired exactly as <c>mlops run</c> wires it.
/// </summary>
internal static class BenchProduct
{
    /// <summary>The composed product; <paramref name="wrap"/> wraps each step executor it makes (a benchmark's timing decorator).</summary>
    /// <param name="storage">The stores the product uses.</param>
    /// <param name="dataRoot">The data root of the pipelines.</param>
    /// <param name="loggers">The loggers; none: the product's default.</param>
    /// <param name="wrap">Wraps each step executor.</param>
    /// <param name="configure">Last word on the services (a benchmark swapping one store for another).</param>
    public static ServiceProvider Compose(
        StorageSet storage, string dataRoot, ILoggerFactory? loggers = null, Func<IStepExecutor, IStepExecutor>? wrap = null, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        if (loggers is not null)
        {
            services.AddSingleton(loggers);
        }

        services.AddMlOps(mlops =>
        {
            mlops.UseStorage(storage).UseDataRoot(dataRoot).UseInProcess();
            if (wrap is not null)
            {
                mlops.DecorateStepExecutors(wrap);
            }
        });
        configure?.Invoke(services);
        return services.BuildMlOpsServiceProvider();
    }
}
