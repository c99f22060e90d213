using Microsoft.Extensions.DependencyInjection;
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
    public static DashboardServices From(IServiceProvider services) => new(
        services.GetRequiredService<IRunRepository>(),
        services.GetRequiredService<IModelRegistry>(),
        services.GetRequiredService<IRunService>(),
        services.GetRequiredService<IModelService>(),
        services.GetService<PipelineCatalog>(),
        services.GetService<SavedReplays>(),
        services.GetService<TimeProvider>() ?? TimeProvider.System);
}
