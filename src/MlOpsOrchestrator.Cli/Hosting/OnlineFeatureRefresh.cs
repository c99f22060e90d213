using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.ML.Features;
using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Storage;

namespace MlOpsOrchestrator.Cli.Hosting;

/// <summary>
/// A scheduled online refresh on <c>serve</c>: the view as the loaded pipelines use it now, materialized from its
/// watermark as <c>mlops features materialize</c> does, and the same summary line logged.
/// </summary>
internal sealed class OnlineFeatureRefresh(PipelineCatalog catalog, StorageSet storage, SourceReaders sources, TimeProvider time, ILogger<OnlineFeatureRefresh> logger)
    : IOnlineFeatureRefresh
{
    public async Task RefreshAsync(string view, CancellationToken ct)
    {
        var spec = catalog.Entries.Select(e => e.Definition).OfType<PipelineDefinition>()
            .SelectMany(d => d.Spec.Data.FeatureViews).FirstOrDefault(v => v.Name == view);
        if (spec is null)
        {
            logger.LogWarning("Online refresh of feature view {View} skipped: no loaded pipeline uses it any more", view);
            return;
        }

        var (result, problem) = await new OnlineMaterializer(storage.OnlineFeatures, sources, time)
            .MaterializeAsync(spec, full: false, message => logger.LogDebug("{Progress}", message), ct);
        if (result is null)
        {
            logger.LogWarning("Online refresh of feature view {View} failed: {Problem}", view, problem);
            return;
        }

        logger.LogInformation("Online refresh: {Summary}", result.Summary());
    }
}
