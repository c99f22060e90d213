using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Storage;

namespace MlOpsOrchestrator.ML.Tests.Monitoring.Support;

/// <summary>
/// The real way runs are started: <see cref="RunStarter"/> over <see cref="RunLauncher"/> and the embedded SQLite run
/// store, in a temporary home; only the queue is a recording fake.
/// </summary>
internal sealed class RunStartHarness : IAsyncDisposable
{
    private readonly string _home;
    private readonly TimeProvider _time;

    private RunStartHarness(string home, StorageSet storage, TimeProvider time)
    {
        _home = home;
        _time = time;
        Storage = storage;
        Launcher = new RunLauncher(storage.Runs, time);
        Starter = new RunStarter(Launcher, storage.Runs, storage.RunExecution, Dispatcher, time);
    }

    public StorageSet Storage { get; }

    public RunLauncher Launcher { get; }

    public RecordingDispatcher Dispatcher { get; } = new();

    public RunStarter Starter { get; }

    public static async Task<RunStartHarness> OpenAsync(TimeProvider time)
    {
        var home = Directory.CreateTempSubdirectory("mlops-ml-retrain-").FullName;
        return new RunStartHarness(home, await MlOpsStorage.OpenSqliteAsync(home, new StorageOptions { TimeProvider = time }, CancellationToken.None), time);
    }

    /// <summary>
    /// Launches a run of <paramref name="definition"/> by hand and makes it running as the run executor does: claimed by
    /// this process with a fresh heartbeat, so it counts as active.
    /// </summary>
    public async Task<RunRecord> StartRunningAsync(PipelineDefinition definition, string yaml)
    {
        var ct = CancellationToken.None;
        var (run, _) = await Launcher.LaunchAsync(new RunRequest { Definition = definition, Yaml = yaml }, ct);
        var claim = await Storage.RunExecution.ClaimAsync(run.RunId, RunLiveness.LocalOwner, _time.GetUtcNow(), RunLiveness.StaleAfter, ct);
        run = claim.Run! with { Status = RunStatus.Running, StartedAt = run.CreatedAt };
        await Storage.RunExecution.CommitAsync(RunLiveness.LocalOwner, [], run, ct);
        return run;
    }

    public async Task<IReadOnlyList<RunRecord>> RunsAsync(string pipeline) => await Storage.Runs.ListAsync(pipeline, 100, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await Storage.DisposeAsync();
        try
        {
            Directory.Delete(_home, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may hold the file a moment longer; a leftover temp folder is not worth failing a test over.
        }
    }
}
