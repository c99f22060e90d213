using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Specs;
using Quartz;

namespace MlOpsOrchestrator.Scheduling.Quartz;

/// <summary>
/// Makes the jobs of group <c>mlops</c> in Quartz match the wanted cron triggers: a missing one is scheduled, one whose
/// stored pipeline version differs is replaced, one nobody wants any more is deleted, and one already right is left
/// alone, so a restarted node does not reset a trigger that Quartz must still treat as misfired. A pipeline whose file
/// changed but whose cron, time zone and misfire policy did not keeps its trigger (only the job's data is updated), so
/// an edit made while <c>serve</c> was down does not cancel the catch-up its misfire policy owes. A kept trigger found in
/// Quartz's <c>ERROR</c> state (a fire that could not read its job back, e.g. while the database restarted) is reset, so
/// it fires again. Every node of a cluster runs this against the same store; replacing by key and comparing versions
/// first makes that safe.
/// </summary>
internal sealed class ScheduleReconciler(ILogger<ScheduleReconciler> logger)
{
    private readonly HashSet<(JobKey Job, string Version)> _unschedulable = [];

    /// <summary>Returns false when another node changed the same job meanwhile: the caller should check again soon.</summary>
    public async Task<bool> ReconcileAsync(IScheduler scheduler, IReadOnlyList<ScheduledTrigger> wanted, CancellationToken ct)
    {
        var desired = wanted.ToDictionary(t => t.JobKey);
        var jobKeys = await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(PipelineJobKeys.Group), ct);
        var triggerKeys = (await scheduler.GetTriggerKeys(GroupMatcher<TriggerKey>.GroupEquals(PipelineJobKeys.Group), ct)).ToHashSet();
        var existing = jobKeys.Count == 0 ? [] : (await scheduler.GetJobDetails(jobKeys, ct)).ToDictionary(j => j.Key);
        var settled = true;

        foreach (var (key, trigger) in desired)
        {
            existing.TryGetValue(key, out var current);
            var currentVersion = current is null ? null : PipelineJobKeys.Read(current.JobDataMap, PipelineJobKeys.VersionKey);
            var triggerKey = PipelineJobKeys.TriggerOf(key);
            if (current is not null && triggerKeys.Contains(triggerKey)
                && (currentVersion == trigger.Version || await KeepTriggerAsync(scheduler, trigger, triggerKey, ct)))
            {
                await ResetIfInErrorAsync(scheduler, trigger, triggerKey, ct);
                continue;
            }

            settled &= await ScheduleAsync(scheduler, trigger, current is not null, ct);
        }

        foreach (var key in existing.Keys.Where(k => !desired.ContainsKey(k)))
        {
            if (await scheduler.DeleteJob(key, ct))
            {
                var data = existing[key].JobDataMap;
                logger.LogInformation(
                    "Unscheduled pipeline {Pipeline} trigger {Trigger}: the trigger or its pipeline file is gone",
                    PipelineJobKeys.Read(data, PipelineJobKeys.PipelineKey) ?? key.Name,
                    PipelineJobKeys.Read(data, PipelineJobKeys.TriggerKey) ?? key.Name);
            }
        }

        return settled;
    }

    /// <summary>
    /// When only the pipeline's version differs (its cron, time zone and misfire policy are the stored trigger's), the job
    /// is updated in place and the trigger, with its fire times and any misfire Quartz still owes, is kept.
    /// </summary>
    private async Task<bool> KeepTriggerAsync(IScheduler scheduler, ScheduledTrigger wanted, TriggerKey triggerKey, CancellationToken ct)
    {
        if (await scheduler.GetTrigger(triggerKey, ct) is not ICronTrigger stored
            || stored.CronExpressionString != wanted.Cron
            || stored.MisfireInstruction != MisfireInstruction(wanted.Misfire)
            || !SameTimeZone(stored.TimeZone, wanted.TimeZone))
        {
            return false;
        }

        await scheduler.AddJob(BuildJob(wanted), AddJobOptions.ReplacingAndStoringNonDurable, ct);
        logger.LogInformation(
            "Updated pipeline {Pipeline} trigger {Trigger} to version {Version}; its schedule (cron {Cron}, misfire {Misfire}) is unchanged and kept",
            wanted.Pipeline, wanted.TriggerId, ShortVersion(wanted.Version), wanted.Cron, MisfireName(wanted.Misfire));
        return true;
    }

    /// <summary>
    /// Quartz parks a trigger in <c>ERROR</c> when a fire cannot read its job back (the database was restarting, say),
    /// and it then never fires again by itself. The job is ours and still wanted, so the trigger is reset.
    /// </summary>
    private async Task ResetIfInErrorAsync(IScheduler scheduler, ScheduledTrigger wanted, TriggerKey triggerKey, CancellationToken ct)
    {
        if (await scheduler.GetTriggerState(triggerKey, ct) != TriggerState.Error)
        {
            return;
        }

        await scheduler.ResetTriggerFromErrorState(triggerKey, ct);
        var next = (await scheduler.GetTrigger(triggerKey, ct))?.NextFireTimeUtc;
        logger.LogWarning(
            "Pipeline {Pipeline} trigger {Trigger} was in Quartz's ERROR state (a fire could not read its job, e.g. while the database was unavailable); reset, next fire {NextFire:O}",
            wanted.Pipeline, wanted.TriggerId, next);
    }

    private static bool SameTimeZone(TimeZoneInfo stored, string wanted)
    {
        try
        {
            return stored.Id == wanted || stored.Id == TimeZoneInfo.FindSystemTimeZoneById(wanted).Id;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }

    private async Task<bool> ScheduleAsync(IScheduler scheduler, ScheduledTrigger wanted, bool replacing, CancellationToken ct)
    {
        if (_unschedulable.Contains((wanted.JobKey, wanted.Version)))
        {
            return true;
        }

        try
        {
            var (job, trigger) = Build(wanted);
            // A new job is added without replacing: if another node added it meanwhile, its trigger (possibly already
            // acquired for the next tick) is left alone and the next pass compares again.
            var next = replacing
                ? await scheduler.ScheduleJob(job, trigger, ScheduleJobOptions.Replacing, ct)
                : await scheduler.ScheduleJob(job, trigger, cancellationToken: ct);
            logger.LogInformation(
                "{Action} pipeline {Pipeline} trigger {Trigger}: cron {Cron} in {TimeZone}, misfire {Misfire}, version {Version}; next fire {NextFire:O}",
                replacing ? "Rescheduled" : "Scheduled", wanted.Pipeline, wanted.TriggerId, wanted.Cron, wanted.TimeZone,
                MisfireName(wanted.Misfire), ShortVersion(wanted.Version), next);
            return true;
        }
        catch (ObjectAlreadyExistsException)
        {
            logger.LogDebug("Pipeline {Pipeline} trigger {Trigger} was scheduled by another node meanwhile; checking again", wanted.Pipeline, wanted.TriggerId);
            return false;
        }
        catch (Exception e) when (e is FormatException or TimeZoneNotFoundException or InvalidTimeZoneException
                                  || (e is SchedulerException && e is not JobPersistenceException))
        {
            _unschedulable.Add((wanted.JobKey, wanted.Version));
            logger.LogError(e, "Cannot schedule pipeline {Pipeline} trigger {Trigger} (cron {Cron} in {TimeZone}): {Reason}",
                wanted.Pipeline, wanted.TriggerId, wanted.Cron, wanted.TimeZone, e.Message);
            return true;
        }
    }

    private static (IJobDetail Job, ITrigger Trigger) Build(ScheduledTrigger wanted)
    {
        var timeZone = TimeZoneInfo.FindSystemTimeZoneById(wanted.TimeZone);
        var job = BuildJob(wanted);
        var misfire = MisfireInstruction(wanted.Misfire);
        var trigger = TriggerBuilder.Create()
            .WithIdentity(PipelineJobKeys.Trigger(wanted.Pipeline, wanted.TriggerId))
            .ForJob(job)
            .WithDescription($"{wanted.Cron} ({wanted.TimeZone})")
            .WithCronSchedule(wanted.Cron, b => b.InTimeZone(timeZone).WithMisfireInstruction(misfire))
            .Build();
        return (job, trigger);
    }

    private static IJobDetail BuildJob(ScheduledTrigger wanted)
    {
        var builder = JobBuilder.Create()
            .OfType(wanted.View is null ? typeof(PipelineFireJob) : typeof(FeatureRefreshJob))
            .WithIdentity(wanted.JobKey)
            .WithDescription(wanted.View is null ? $"pipeline {wanted.Pipeline}, trigger {wanted.TriggerId}" : $"online refresh of feature view {wanted.View}")
            .UsingJobData(PipelineJobKeys.PipelineKey, wanted.Pipeline)
            .UsingJobData(PipelineJobKeys.TriggerKey, wanted.TriggerId)
            .UsingJobData(PipelineJobKeys.VersionKey, wanted.Version);
        return (wanted.View is null ? builder : builder.UsingJobData(FeatureRefreshJob.ViewKey, wanted.View)).Build();
    }

    private static CronTriggerMisfireInstruction MisfireInstruction(MisfirePolicy policy) =>
        policy == MisfirePolicy.Skip ? CronTriggerMisfireInstruction.DoNothing : CronTriggerMisfireInstruction.FireAndProceed;

    private static string MisfireName(MisfirePolicy policy) => policy == MisfirePolicy.Skip ? "skip" : "fire_once";

    private static string ShortVersion(string version) => version.Length > 12 ? version[..12] : version;
}
