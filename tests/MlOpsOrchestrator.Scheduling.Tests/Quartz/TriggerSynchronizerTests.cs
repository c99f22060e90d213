using MlOpsOrchestrator.Scheduling.Quartz;
using NUnit.Framework;
using Quartz;

namespace MlOpsOrchestrator.Scheduling.Tests.Quartz;

/// <summary>The schedule follows the pipelines folder while the scheduler runs, read back from the real Quartz triggers.</summary>
public sealed class TriggerSynchronizerTests
{
    private const string Nightly = "0 0 3 * * ?";
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(8);
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    private PipelineFolder _folder = null!;
    private SchedulerNode? _node;

    [SetUp]
    public void SetUp() => _folder = new PipelineFolder();

    [TearDown]
    public async Task TearDown()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }

        _folder.Dispose();
    }

    [Test]
    public async Task StartAsync_CronTrigger_ScheduledInThePipelinesTimeZoneWithJobData()
    {
        _folder.Write("churn", PipelineFolder.Pipeline("churn", Nightly));

        _node = await SchedulerNode.StartAsync(_folder, new SchedulerSettings());

        var next = await _node.ScheduleInfo.NextFireTimesAsync("churn", "tick", 3, CancellationToken.None);
        Assert.That(next, Has.Count.EqualTo(3));
        Assert.That(next.Select(t => TimeZoneInfo.ConvertTime(t, Paris).TimeOfDay), Is.All.EqualTo(TimeSpan.FromHours(3)));
        Assert.That(next[0], Is.GreaterThan(DateTimeOffset.UtcNow));
        var job = await (await _node.SchedulerAsync()).GetJobDetail(new JobKey("churn/tick", "mlops"));
        Assert.That(job, Is.Not.Null);
        Assert.That(job!.JobDataMap["pipeline"], Is.EqualTo("churn"));
        Assert.That(job.JobDataMap["trigger"], Is.EqualTo("tick"));
        Assert.That(job.JobDataMap["version"], Is.EqualTo(_node.Catalog.Find("churn")!.Definition!.Version));
    }

    [Test]
    public async Task StartAsync_DriftTrigger_IsNotScheduled()
    {
        _folder.Write("churn", PipelineFolder.Pipeline("churn", Nightly));

        _node = await SchedulerNode.StartAsync(_folder, new SchedulerSettings());

        Assert.That(await _node.ScheduleInfo.IsScheduledAsync("churn", "tick", CancellationToken.None), Is.True);
        Assert.That(await _node.ScheduleInfo.IsScheduledAsync("churn", "on-drift", CancellationToken.None), Is.False);
        Assert.That(await _node.ScheduleInfo.NextFireTimesAsync("churn", "on-drift", 3, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task FileAdded_WhileRunning_IsScheduled()
    {
        _node = await SchedulerNode.StartAsync(_folder, new SchedulerSettings());
        Assert.That(await _node.ScheduleInfo.IsScheduledAsync("churn", "tick", CancellationToken.None), Is.False);

        _folder.Write("churn", PipelineFolder.Pipeline("churn", Nightly));

        await Eventually.That(() => _node.ScheduleInfo.IsScheduledAsync("churn", "tick", CancellationToken.None), Soon, "the new file's trigger is scheduled");
        Assert.That(_node.Logs.Matching("{Action} pipeline {Pipeline} trigger {Trigger}").Select(e => e["Action"]), Is.EqualTo(new[] { "Scheduled" }));
    }

    [Test]
    public async Task FolderMissingAtStart_CreatedLater_RescanSchedulesItsPipelines()
    {
        _folder.Dispose();
        _folder = new PipelineFolder(createPipelines: false);
        _node = await SchedulerNode.StartAsync(_folder, new SchedulerSettings { RescanInterval = TimeSpan.FromMilliseconds(500) });

        // No watcher can exist on a missing folder: only the periodic rescan can see this.
        _folder.CreatePipelines();
        _folder.Write("churn", PipelineFolder.Pipeline("churn", Nightly));

        await Eventually.That(() => _node.ScheduleInfo.IsScheduledAsync("churn", "tick", CancellationToken.None), Soon, "the rescan schedules the new folder's pipeline");
        Assert.That(_node.Logs.Matching("Pipelines folder {Folder} does not exist"), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task CronEdited_WhileRunning_IsRescheduled()
    {
        _folder.Write("churn", PipelineFolder.Pipeline("churn", Nightly));
        _node = await SchedulerNode.StartAsync(_folder, new SchedulerSettings());

        _folder.Write("churn", PipelineFolder.Pipeline("churn", "0 30 4 * * ?"));

        var next = await Eventually.Get(
            () => _node.ScheduleInfo.NextFireTimesAsync("churn", "tick", 2, CancellationToken.None),
            times => times.Count == 2 && TimeZoneInfo.ConvertTime(times[0], Paris).TimeOfDay == new TimeSpan(4, 30, 0),
            Soon,
            "the trigger fires at 04:30 after the edit");
        Assert.That(TimeZoneInfo.ConvertTime(next[1], Paris).TimeOfDay, Is.EqualTo(new TimeSpan(4, 30, 0)));
        Assert.That(_node.Logs.Matching("{Action} pipeline {Pipeline} trigger {Trigger}").Select(e => e["Action"]), Is.EqualTo(new[] { "Scheduled", "Rescheduled" }));
        var job = await (await _node.SchedulerAsync()).GetJobDetail(new JobKey("churn/tick", "mlops"));
        Assert.That(job!.JobDataMap["version"], Is.EqualTo(_node.Catalog.Find("churn")!.Definition!.Version));
    }

    [Test]
    public async Task InvalidEdit_WhileRunning_KeepsTheLastValidScheduleAndShowsTheErrors()
    {
        _folder.Write("churn", PipelineFolder.Pipeline("churn", Nightly));
        _node = await SchedulerNode.StartAsync(_folder, new SchedulerSettings());
        var before = await _node.ScheduleInfo.NextFireTimesAsync("churn", "tick", 3, CancellationToken.None);
        var version = _node.Catalog.Find("churn")!.Definition!.Version;

        _folder.Write("churn", PipelineFolder.Pipeline("churn", "0 30 4 * * ?").Replace("needs: [prep]", "neds: [prep]", StringComparison.Ordinal));

        var entry = await Eventually.Get(
            () => Task.FromResult(_node.Catalog.Entries.Single()),
            e => e.Errors.Count > 0,
            Soon,
            "the catalog records the errors of the broken file");
        Assert.That(entry.Errors.Select(e => e.Message), Has.Some.Contains("neds"));
        Assert.That(entry.Definition!.Version, Is.EqualTo(version));
        await Eventually.That(() => Task.FromResult(_node.Logs.Matching("Pipeline {Pipeline} in {File} is invalid").Count == 1), Soon, "the broken file is logged");
        Assert.That(await _node.ScheduleInfo.NextFireTimesAsync("churn", "tick", 3, CancellationToken.None), Is.EqualTo(before));
        var job = await (await _node.SchedulerAsync()).GetJobDetail(new JobKey("churn/tick", "mlops"));
        Assert.That(job!.JobDataMap["version"], Is.EqualTo(version));
    }

    [Test]
    public async Task FileDeleted_WhileRunning_IsUnscheduled()
    {
        _folder.Write("churn", PipelineFolder.Pipeline("churn", Nightly));
        _node = await SchedulerNode.StartAsync(_folder, new SchedulerSettings());

        _folder.Delete("churn");

        await Eventually.That(async () => !await _node.ScheduleInfo.IsScheduledAsync("churn", "tick", CancellationToken.None), Soon, "the deleted file's trigger is unscheduled");
        Assert.That(await (await _node.SchedulerAsync()).GetJobDetail(new JobKey("churn/tick", "mlops")), Is.Null);
        Assert.That(_node.Logs.Matching("Unscheduled pipeline {Pipeline} trigger {Trigger}").Select(e => $"{e["Pipeline"]}/{e["Trigger"]}"), Is.EqualTo(new[] { "churn/tick" }));
    }

    [Test]
    public async Task TriggerRemovedOrPipelineRenamed_WhileRunning_OldTriggerUnscheduledNewOneScheduled()
    {
        _folder.Write("churn", PipelineFolder.Pipeline("churn", Nightly));
        _folder.Write("other", PipelineFolder.Pipeline("other", Nightly));
        _node = await SchedulerNode.StartAsync(_folder, new SchedulerSettings());

        _folder.Write("churn", PipelineFolder.Pipeline("churn-risk", Nightly));
        _folder.Write("other", PipelineFolder.Pipeline("other", cron: null));

        await Eventually.That(() => _node.ScheduleInfo.IsScheduledAsync("churn-risk", "tick", CancellationToken.None), Soon, "the renamed pipeline is scheduled");
        await Eventually.That(async () => !await _node.ScheduleInfo.IsScheduledAsync("other", "tick", CancellationToken.None), Soon, "the removed trigger is unscheduled");
        var keys = await (await _node.SchedulerAsync()).GetJobKeys(GroupMatcher<JobKey>.GroupEquals("mlops"));
        Assert.That(keys.Select(k => k.Name), Is.EquivalentTo(new[] { "churn-risk/tick" }));
    }
}
