using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.ML.Data;
using MlOpsOrchestrator.ML.Monitoring;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.ML.Trainers;
using MlOpsOrchestrator.Scheduling.Cron;
using MlOpsOrchestrator.Storage;

namespace MlOpsOrchestrator.Cli.Runtime;

/// <summary>
/// The parts a one-shot command composes: storage for the chosen mode, the loader, and the run launcher, executor and
/// control over them. Opened per command and disposed at its end.
/// </summary>
internal sealed class MlOpsRuntime : IAsyncDisposable
{
    private MlOpsRuntime(RuntimeSettings settings, StorageSet storage, ILoggerFactory loggers, TimeProvider time)
    {
        Settings = settings;
        Storage = storage;
        Loggers = loggers;
        Time = time;
        Loader = new PipelineLoader(new PipelineLoaderOptions { DataRoot = settings.DataRoot }, MlNetTrainerCatalog.Default, QuartzCronEvaluator.Instance);
        Launcher = new RunLauncher(storage.Runs, time);
        Control = new RunControl(storage.Runs, storage.RunExecution, time);
        Dispatcher = new InProcessRunDispatcher();
        Executor = new RunExecutor(
            storage.Runs, storage.RunExecution, storage.Registry, storage.Watermarks, storage.Artifacts,
            [new DataPrepExecutor(), new TrainExecutor(), new EvaluateExecutor(), new DeployExecutor(), new MonitorExecutor(), new RetrainExecutor()],
            new RunDefinitions(Loader), time, loggers.CreateLogger<RunExecutor>())
        {
            Evaluations = storage.Evaluations,
            Predictions = storage.Predictions,
            Starter = new RunStarter(Launcher, storage.Runs, storage.RunExecution, Dispatcher, time),
        };
    }

    public RuntimeSettings Settings { get; }
    public StorageSet Storage { get; }
    public ILoggerFactory Loggers { get; }
    public TimeProvider Time { get; }
    public PipelineLoader Loader { get; }
    public RunLauncher Launcher { get; }
    public RunControl Control { get; }
    public RunExecutor Executor { get; }

    /// <summary>Runs started by steps of the run being executed (retrains), executed after it.</summary>
    public InProcessRunDispatcher Dispatcher { get; }

    public static async Task<MlOpsRuntime> OpenAsync(RuntimeSettings settings, TimeProvider time, CancellationToken ct)
    {
        Directory.CreateDirectory(settings.Home);
        var loggers = Logging.Create(settings.Home);
        var storage = settings.Postgres is { } postgres
            ? await MlOpsStorage.OpenPostgresAsync(postgres, settings.Home, ct)
            : await MlOpsStorage.OpenSqliteAsync(settings.Home, ct);
        return new MlOpsRuntime(settings, storage, loggers, time);
    }

    public async ValueTask DisposeAsync()
    {
        await Storage.DisposeAsync();
        Loggers.Dispose();
    }
}
