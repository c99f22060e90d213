using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.ML.Data.Ingestion;
using MlOpsOrchestrator.ML.Monitoring;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.ML.Steps.DataPrep;
using MlOpsOrchestrator.ML.Trainers;
using MlOpsOrchestrator.Scheduling.Cron;
using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Storage;
using MlOpsOrchestrator.Storage.Sources;

namespace MlOpsOrchestrator.Cli.Runtime;

/// <summary>
/// The parts a one-shot command composes: storage for the chosen mode, the loader, the run service and the executor
/// that runs what it dispatches here. Opened per command and disposed at its end.
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
        var launcher = new RunLauncher(storage.Runs, time);
        Dispatcher = new InProcessRunDispatcher();
        var starter = new RunStarter(launcher, storage.Runs, storage.RunExecution, Dispatcher, time);
        RunService = IRunService.Create(starter, new RunControl(storage.Runs, storage.RunExecution, time), Dispatcher, loggers.CreateLogger<IRunService>());
        var sources = new SourceReaders([new CsvSourceReader(), new PostgresSourceReader()]);
        Executor = new RunExecutor(
            storage.Runs, storage.RunExecution, storage.Registry, storage.Watermarks, storage.Artifacts,
            [new DataPrepExecutor(sources), new TrainExecutor(), new EvaluateExecutor(), new DeployExecutor(), new MonitorExecutor(sources), new RetrainExecutor()],
            new RunDefinitionLoader(Loader), time, loggers.CreateLogger<RunExecutor>())
        {
            Evaluations = storage.Evaluations,
            Predictions = storage.Predictions,
            Starter = starter,
        };
    }

    public RuntimeSettings Settings { get; }
    public StorageSet Storage { get; }
    public ILoggerFactory Loggers { get; }
    public TimeProvider Time { get; }
    public PipelineLoader Loader { get; }

    /// <summary>How the commands start runs and decide on them; what it dispatches lands in <see cref="Dispatcher"/>.</summary>
    public IRunService RunService { get; }

    public RunExecutor Executor { get; }

    /// <summary>
    /// The runs the run service dispatched to this process (the command's own run, then those started by its steps,
    /// retrains), executed by the command in that order.
    /// </summary>
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
