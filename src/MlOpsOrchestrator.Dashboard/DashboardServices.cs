using Microsoft.Extensions.DependencyInjection;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>
/// What the pages and actions use, from the request's own container: the dashboard's routes are process-wide
/// (Hangfire keeps them in a static collection) while each host has its own stores.
/// </summary>
internal sealed record DashboardServices(
    IRunRepository Runs,
    IModelRegistry Registry,
    IRunService RunService,
    IModelService Models,
    PipelineCatalog? Catalog,
    SavedReplays? Replays,
    TimeProvider Time)
{
    /// <summary>The host's log files; a host that writes none (a test host) shows no log lines.</summary>
    public RunLogs? Logs { get; init; }

    /// <summary>The monitoring store, for a run's drift table; optional like the charts that read it.</summary>
    public IEvaluationStore? Evaluations { get; init; }

    /// <summary>Rebuilds the definition a run executed, for its gates, thresholds and step graph.</summary>
    public RunDefinitionLoader? Definitions { get; init; }

    /// <summary>Hangfire's storage: which jobs executed a run.</summary>
    public global::Hangfire.JobStorage? Jobs { get; init; }

    /// <summary>The offline feature store, the loader's options and the cron parser: the Features page.</summary>
    public IFeatureLookup? Features { get; init; }

    public PipelineLoaderOptions? LoaderOptions { get; init; }

    public ICronEvaluator? Cron { get; init; }

    public static DashboardServices From(IServiceProvider services) => new(
        services.GetRequiredService<IRunRepository>(),
        services.GetRequiredService<IModelRegistry>(),
        services.GetRequiredService<IRunService>(),
        services.GetRequiredService<IModelService>(),
        services.GetService<PipelineCatalog>(),
        services.GetService<SavedReplays>(),
        services.GetService<TimeProvider>() ?? TimeProvider.System)
    {
        Logs = services.GetService<RunLogs>(),
        Evaluations = services.GetService<IEvaluationStore>(),
        Definitions = services.GetService<RunDefinitionLoader>(),
        Jobs = services.GetService<global::Hangfire.JobStorage>(),
        Features = services.GetService<IFeatureLookup>(),
        LoaderOptions = services.GetService<PipelineLoaderOptions>(),
        Cron = services.GetService<ICronEvaluator>(),
    };
}
