using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Execution;
using Quartz;

namespace MlOpsOrchestrator.Scheduling.Quartz;

/// <summary>
/// What a fire of a feature view's <c>online.refresh</c> trigger does: one materialization to the online store. Two
/// refreshes of one view never run at once on one node; across nodes, the store refuses the second writer.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class FeatureRefreshJob(IOnlineFeatureRefresh refresh, ILogger<FeatureRefreshJob> logger) : IJob
{
    public const string ViewKey = "view";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        if (PipelineJobKeys.Read(context.MergedJobDataMap, ViewKey) is not { } view)
        {
            logger.LogWarning("Quartz job {Job} carries no feature view; nothing refreshed", context.JobDetail.Key);
            return;
        }

        await refresh.RefreshAsync(view, ct);
    }
}
