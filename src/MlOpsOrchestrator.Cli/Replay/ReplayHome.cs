using Microsoft.Extensions.DependencyInjection;
using MlOpsOrchestrator.Cli.Composition;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Replay;
using MlOpsOrchestrator.Storage;

namespace MlOpsOrchestrator.Cli.Replay;

/// <summary>
/// One throwaway home of a replay (the policy's, or one baseline's): embedded storage in a folder of its own and the
/// product as <c>AddMlOps</c> composes it for a one-shot command (runs kept in process), on the replay's virtual
/// clock, every source reader showing the data only as it was at that clock (read from the replay's snapshots) and every
/// step timed. The whole
/// composition is <see cref="OpenAsync"/>; disposing deletes the folder.
/// </summary>
internal sealed class ReplayHome : IAsyncDisposable
{
    private readonly ServiceProvider _product;

    private ReplayHome(string folder, StorageSet storage, ServiceProvider product, ComputeMeter meter)
    {
        Folder = folder;
        Storage = storage;
        _product = product;
        Starter = product.GetRequiredService<RunStarter>();
        RunService = product.GetRequiredService<IRunService>();
        Executor = product.GetRequiredService<RunExecutor>();
        Dispatcher = product.GetRequiredService<InProcessRunDispatcher>();
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

    public static async Task<ReplayHome> OpenAsync(string folder, ReplayClock clock, string timestampColumn, string dataRoot, SourceSnapshots snapshots, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        StorageSet? storage = null;
        try
        {
            storage = await MlOpsStorage.OpenSqliteAsync(folder, new Storage.StorageOptions { TimeProvider = clock }, ct);
            DateTime AsOf() => clock.GetUtcNow().UtcDateTime;
            var meter = new ComputeMeter();
            var services = new ServiceCollection();
            services.AddSingleton<TimeProvider>(clock);
            services.AddMlOps(mlops => mlops
                .UseStorage(storage)
                .UseDataRoot(dataRoot)
                .UseInProcess()
                .DecorateSourceReaders(reader => new AsOfSourceReader(reader, timestampColumn, AsOf, snapshots))
                .DecorateStepExecutors(step => new TimedStep(step, meter)));
            return new ReplayHome(folder, storage, services.BuildMlOpsServiceProvider(), meter);
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
        await _product.DisposeAsync();
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
