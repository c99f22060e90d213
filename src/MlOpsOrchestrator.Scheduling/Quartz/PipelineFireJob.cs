using System.Globalization;
using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;
using MlOpsOrchestrator.Telemetry;
using Quartz;

namespace MlOpsOrchestrator.Scheduling.Quartz;

/// <summary>
/// What a Quartz fire does: start a run of the pipeline's current definition through <see cref="RunStarter"/>. It is not
/// <c>[DisallowConcurrentExecution]</c>: whether runs may overlap is the pipeline's <c>concurrency</c> policy, which the
/// starter applies. The idempotency key is the scheduled fire time, so the same tick delivered twice (a cluster
/// fail-over re-firing recovered ticks) creates one run.
/// </summary>
/// <remarks>
/// A fire later than <see cref="SchedulerSettings.MisfireThreshold"/> is a misfire, and the trigger's <c>misfire</c>
/// policy is applied here as well as by Quartz: Quartz applies it when it notices the misfire, but a tick its previous
/// incarnation had already acquired when it stopped is delivered late after a restart or fail-over without it. So
/// <c>skip</c> drops every late fire, and <c>fire_once</c> drops a late fire when the trigger already started a run
/// after that fire was due (the schedule has caught up once).
/// </remarks>
internal sealed class PipelineFireJob(
    PipelineCatalog catalog,
    RunStarter starter,
    IRunRepository runs,
    SchedulerSettings settings,
    ILogger<PipelineFireJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        var data = context.MergedJobDataMap;
        var pipeline = PipelineJobKeys.Read(data, PipelineJobKeys.PipelineKey);
        var triggerId = PipelineJobKeys.Read(data, PipelineJobKeys.TriggerKey);
        if (pipeline is null || triggerId is null)
        {
            logger.LogWarning("Quartz job {Job} carries no pipeline or trigger; nothing started", context.JobDetail.Key);
            return;
        }

        var scheduled = (context.ScheduledFireTimeUtc ?? context.FireTimeUtc).ToUniversalTime();

        // The root of the run's trace: the job that executes the run continues it, in whichever process takes it.
        using var span = MlOpsTelemetry.StartFire(pipeline, triggerId);
        MlOpsTelemetry.Fired(pipeline, triggerId, context.FireTimeUtc - scheduled);
        var entry = catalog.Find(pipeline);
        if (entry?.Definition is not { } definition || entry.Yaml is not { } yaml)
        {
            logger.LogWarning("Fire of pipeline {Pipeline} trigger {Trigger} at {ScheduledAt:O} skipped: the pipeline is no longer loaded", pipeline, triggerId, scheduled);
            return;
        }

        if (definition.Spec.Trigger(triggerId) is not { Cron: not null } trigger)
        {
            logger.LogWarning("Fire of pipeline {Pipeline} trigger {Trigger} at {ScheduledAt:O} skipped: the pipeline no longer has this cron trigger", pipeline, triggerId, scheduled);
            return;
        }

        var late = context.FireTimeUtc - scheduled;
        if (late > settings.MisfireThreshold && await IsMissedAsync(trigger, pipeline, scheduled, ct))
        {
            logger.LogWarning(
                "Fire of pipeline {Pipeline} trigger {Trigger} at {ScheduledAt:O} dropped: it came {Late} late and the trigger says misfire: {Misfire}",
                pipeline, triggerId, scheduled, late, trigger.Misfire == MisfirePolicy.Skip ? "skip" : "fire_once (already caught up)");
            return;
        }

        var request = new RunRequest
        {
            Definition = definition,
            Yaml = yaml,
            Trigger = triggerId,
            IdempotencyKey = IdempotencyKey(pipeline, triggerId, scheduled),
        };

        StartResult result;
        try
        {
            result = await starter.StartAsync(request, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Fire of pipeline {Pipeline} trigger {Trigger} at {ScheduledAt:O} could not start a run", pipeline, triggerId, scheduled);
            throw new JobExecutionException($"Starting a run of {pipeline} for trigger {triggerId} failed: {e.Message}", e);
        }

        switch (result.Outcome)
        {
            case StartOutcome.Queued:
                logger.LogInformation("Pipeline {Pipeline} trigger {Trigger} fired for {ScheduledAt:O}: run {RunId} queued", pipeline, triggerId, scheduled, result.Run.RunId);
                break;
            case StartOutcome.AlreadyLaunched:
                logger.LogInformation("Pipeline {Pipeline} trigger {Trigger} fired for {ScheduledAt:O} again: run {RunId} was already launched for this fire", pipeline, triggerId, scheduled, result.Run.RunId);
                break;
            default:
                logger.LogWarning("Pipeline {Pipeline} trigger {Trigger} fired for {ScheduledAt:O}: skipped ({Reason}); recorded as run {RunId}", pipeline, triggerId, scheduled, result.Reason, result.Run.RunId);
                break;
        }
    }

    private async Task<bool> IsMissedAsync(TriggerSpec trigger, string pipeline, DateTimeOffset scheduled, CancellationToken ct) =>
        trigger.Misfire == MisfirePolicy.Skip
        || (await runs.ListAsync(pipeline, 20, ct)).Any(r => r.Trigger == trigger.Id && r.CreatedAt > scheduled);

    /// <summary><c>pipeline|trigger|scheduled fire time</c>, the time in round-trip UTC form.</summary>
    public static string IdempotencyKey(string pipeline, string trigger, DateTimeOffset scheduledFireTimeUtc) =>
        $"{pipeline}|{trigger}|{scheduledFireTimeUtc.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)}";
}
