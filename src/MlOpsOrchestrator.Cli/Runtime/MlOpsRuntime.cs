using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Cli.Composition;
using MlOpsOrchestrator.Evaluations;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.Retention;
using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Storage;

namespace MlOpsOrchestrator.Cli.Runtime;

/// <summary>
/// The parts a one-shot command uses: storage for the chosen mode, the loader, the run service and the executor
/// that runs what it dispatches here, taken from the product as <c>AddMlOps</c> composes it (with the in-process
/// dispatcher). Opened per command and disposed at its end.
/// </summary>
internal sealed class MlOpsRuntime : IAsyncDisposable
{
    /// <summary>Disposes the container (and the storage with it); the container itself is not kept: the commands get their services from the properties below.</summary>
    private readonly Func<ValueTask> _close;

    private MlOpsRuntime(RuntimeSettings settings, ServiceProvider services, ILoggerFactory loggers, TimeProvider time)
    {
        _close = services.DisposeAsync;
        Settings = settings;
        Loggers = loggers;
        Time = time;
        Storage = services.GetRequiredService<StorageSet>();
        Loader = services.GetRequiredService<PipelineLoader>();
        RunService = services.GetRequiredService<IRunService>();
        Models = services.GetRequiredService<IModelService>();
        Evaluations = services.GetRequiredService<IEvaluationService>();
        Executor = services.GetRequiredService<RunExecutor>();
        Dispatcher = services.GetRequiredService<InProcessRunDispatcher>();
        Collector = services.GetRequiredService<GarbageCollector>();
        Sources = services.GetRequiredService<SourceReaders>();
        LoaderOptions = services.GetRequiredService<PipelineLoaderOptions>();
    }

    /// <summary>The source readers, by type, that steps open data with (feature commands read views through them).</summary>
    public SourceReaders Sources { get; }

    public PipelineLoaderOptions LoaderOptions { get; }

    public RuntimeSettings Settings { get; }
    public StorageSet Storage { get; }
    public ILoggerFactory Loggers { get; }
    public TimeProvider Time { get; }
    public PipelineLoader Loader { get; }

    /// <summary>How the commands start runs and decide on them; what it dispatches lands in <see cref="Dispatcher"/>.</summary>
    public IRunService RunService { get; }

    /// <summary>How the commands read models and move their aliases, under the same rules as the API and the dashboard.</summary>
    public IModelService Models { get; }

    /// <summary>How <c>mlops evals</c> reads the evaluation store, under the same rules as the API and the dashboard.</summary>
    public IEvaluationService Evaluations { get; }

    public RunExecutor Executor { get; }

    /// <summary>What <c>mlops gc</c> runs: the same collection as <c>serve</c>'s hourly one.</summary>
    public GarbageCollector Collector { get; }

    /// <summary>
    /// The runs the run service dispatched to this process (the command's own run, then those started by its steps,
    /// retrains), executed by the command in that order.
    /// </summary>
    public InProcessRunDispatcher Dispatcher { get; }

    public static async Task<MlOpsRuntime> OpenAsync(RuntimeSettings settings, TimeProvider time, CancellationToken ct)
    {
        Directory.CreateDirectory(settings.Home);
        var loggers = Logging.Create(settings.Home);
        var services = new ServiceCollection()
            .AddSingleton(loggers)
            .AddSingleton(time)
            .AddMlOps(mlops =>
            {
                _ = settings.Postgres is { } postgres ? mlops.UsePostgres(postgres, settings.Home) : mlops.UseSqlite(settings.Home);
                mlops.UseDataRoot(settings.DataRoot).UseInProcess();
            })
            .BuildMlOpsServiceProvider();
        try
        {
            await services.OpenMlOpsStorageAsync(ct);
            return new MlOpsRuntime(settings, services, loggers, time);
        }
        catch
        {
            await services.DisposeAsync();
            loggers.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _close();
        Loggers.Dispose();
    }
}
