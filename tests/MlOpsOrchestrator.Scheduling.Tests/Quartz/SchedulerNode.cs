using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.ML.Trainers;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Scheduling.Cron;
using MlOpsOrchestrator.Scheduling.Quartz;
using MlOpsOrchestrator.Storage;
using MlOpsOrchestrator.Stores;
using Quartz;

namespace MlOpsOrchestrator.Scheduling.Tests.Quartz;

/// <summary>
/// One scheduler process as <c>serve</c> composes it: a generic host with the real stores, the real catalog over the
/// test folder, <c>AddMlOpsScheduler</c> and a recording dispatcher in place of the execution queue.
/// </summary>
internal sealed class SchedulerNode : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly StorageSet _stores;
    private bool _disposed;

    private SchedulerNode(IHost host, StorageSet stores, CapturedLogs logs, RecordingDispatcher dispatcher)
    {
        _host = host;
        _stores = stores;
        Logs = logs;
        Dispatcher = dispatcher;
    }

    public CapturedLogs Logs { get; }

    public RecordingDispatcher Dispatcher { get; }

    public IServiceProvider Services => _host.Services;

    public PipelineCatalog Catalog => Services.GetRequiredService<PipelineCatalog>();

    public IScheduleInfo ScheduleInfo => Services.GetRequiredService<IScheduleInfo>();

    public IRunRepository Runs => _stores.Runs;

    /// <summary>Builds the host (not started): embedded SQLite stores in the folder's home, or PostgreSQL ones.</summary>
    public static async Task<SchedulerNode> CreateAsync(PipelineFolder folder, SchedulerSettings settings, string name = "node")
    {
        var stores = settings.PostgresConnectionString is { } connectionString
            ? await MlOpsStorage.OpenPostgresAsync(connectionString, folder.Home, CancellationToken.None)
            : await MlOpsStorage.OpenSqliteAsync(folder.Home, CancellationToken.None);
        var logs = new CapturedLogs(name);
        var dispatcher = new RecordingDispatcher();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Test" });
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Quartz", LogLevel.Warning);

        var loader = new PipelineLoader(new PipelineLoaderOptions { DataRoot = folder.Root }, MlNetTrainerCatalog.Default, QuartzCronEvaluator.Instance);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new PipelineCatalog(loader, folder.Pipelines, TimeProvider.System));
        builder.Services.AddSingleton(stores.Runs);
        builder.Services.AddSingleton(stores.RunExecution);
        builder.Services.AddSingleton<IRunDispatcher>(dispatcher);
        builder.Services.AddSingleton<RunLauncher>();
        builder.Services.AddSingleton<RunStarter>();
        builder.Services.AddMlOpsScheduler(settings);
        return new SchedulerNode(builder.Build(), stores, logs, dispatcher);
    }

    /// <summary>Creates and starts a node.</summary>
    public static async Task<SchedulerNode> StartAsync(PipelineFolder folder, SchedulerSettings settings, string name = "node")
    {
        var node = await CreateAsync(folder, settings, name);
        await node.StartAsync();
        return node;
    }

    public Task StartAsync() => _host.StartAsync();

    public async Task<IScheduler> SchedulerAsync() => await Services.GetRequiredService<ISchedulerFactory>().GetScheduler();

    /// <summary>The runs of <paramref name="pipeline"/>, oldest first.</summary>
    public async Task<IReadOnlyList<RunRecord>> RunsOfAsync(string pipeline) =>
        (await Runs.ListAsync(pipeline, 1000, CancellationToken.None)).OrderBy(r => r.CreatedAt).ToList();

    /// <summary>Stops the host (as a shutdown of the process would) and closes the stores; safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            await _host.StopAsync();
        }
        finally
        {
            _host.Dispose();
            await _stores.DisposeAsync();
        }
    }
}
