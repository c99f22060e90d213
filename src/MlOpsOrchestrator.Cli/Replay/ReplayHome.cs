using Microsoft.Extensions.Logging.Abstractions;
using MlOpsOrchestrator.Cli.Runtime;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.ML.Data.Ingestion;
using MlOpsOrchestrator.ML.Monitoring;
using MlOpsOrchestrator.ML.Replay;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.ML.Steps.DataPrep;
using MlOpsOrchestrator.ML.Trainers;
using MlOpsOrchestrator.Scheduling.Cron;
using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Storage;
using MlOpsOrchestrator.Storage.Sources;

namespace MlOpsOrchestrator.Cli.Replay;

/// <summary>
/// One throwaway home of a replay (the policy's, or one baseline's): embedded storage in a folder of its own, the
/// product's run starter and executor with the real step executors, on the replay's virtual clock, reading the data
/// only as it was at that clock. The whole composition is <see cref="OpenAsync"/>; disposing deletes the folder.
/// </summary>
internal sealed class ReplayHome : IAsyncDisposable
{
    private ReplayHome(string folder, StorageSet storage, RunStarter starter, IRunService service, RunExecutor executor, InProcessRunDispatcher dispatcher, ComputeMeter meter)
    {
        Folder = folder;
        Storage = storage;
        Starter = starter;
        RunService = service;
        Executor = executor;
        Dispatcher = dispatcher;
        Compute = meter;
    }

    public string Folder { get; }
    public StorageSet Storage { get; }

    /// <summary>How fires start runs, as the scheduler's fire job does.</summary>
    public RunStarter Starter { get; }

    /// <summary>How the replay approves a manual step that waits.</summary>
    public IRunService RunService { get; }
    public RunExecutor Executor { get; }

    /// <summary>The runs started in this home (by a fire, or by a retrain step), executed by the replay in order.</summary>
    public InProcessRunDispatcher Dispatcher { get; }

    /// <summary>The real time the steps of this home's runs took.</summary>
    public ComputeMeter Compute { get; }

    public static async Task<ReplayHome> OpenAsync(string folder, ReplayClock clock, string timestampColumn, string dataRoot, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        StorageSet? storage = null;
        try
        {
            storage = await MlOpsStorage.OpenSqliteAsync(folder, new Storage.StorageOptions { TimeProvider = clock }, ct);
            DateTime AsOf() => clock.GetUtcNow().UtcDateTime;
            var sources = new SourceReaders([
                new AsOfSourceReader(new CsvSourceReader(), timestampColumn, AsOf),
                new AsOfSourceReader(new PostgresSourceReader(), timestampColumn, AsOf)]);
            var loader = new PipelineLoader(new PipelineLoaderOptions { DataRoot = dataRoot, Time = clock }, MlNetTrainerCatalog.Default, QuartzCronEvaluator.Instance);
            var dispatcher = new InProcessRunDispatcher();
            var starter = new RunStarter(new RunLauncher(storage.Runs, clock), storage.Runs, storage.RunExecution, dispatcher, clock);
            var service = IRunService.Create(starter, new RunControl(storage.Runs, storage.RunExecution, clock), dispatcher, NullLogger<IRunService>.Instance);
            var meter = new ComputeMeter();
            IStepExecutor[] steps = [new DataPrepExecutor(sources), new TrainExecutor(), new EvaluateExecutor(), new DeployExecutor(), new MonitorExecutor(sources), new RetrainExecutor()];
            var executor = new RunExecutor(
                storage.Runs, storage.RunExecution, storage.Registry, storage.Watermarks, storage.Artifacts,
                [.. steps.Select(s => new TimedStepExecutor(s, meter))],
                new RunDefinitions(loader), clock, NullLogger<RunExecutor>.Instance)
            {
                Evaluations = storage.Evaluations,
                Predictions = storage.Predictions,
                Starter = starter,
            };
            return new ReplayHome(folder, storage, starter, service, executor, dispatcher, meter);
        }
        catch
        {
            if (storage is not null)
            {
                await storage.DisposeAsync();
            }

            Delete(folder);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Storage.DisposeAsync();
        Delete(Folder);
    }

    internal static void Delete(string folder)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
