using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Scheduling.Quartz;
using NUnit.Framework;
using Quartz;

namespace MlOpsOrchestrator.Scheduling.Tests.Quartz;

/// <summary>Real Quartz fires, in memory, turned into runs by the real starter and the SQLite run store.</summary>
public sealed class PipelineFireJobTests
{
    private const string EveryTwoSeconds = "0/2 * * * * ?";
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

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
    public async Task Execute_TwoSecondCron_EachFireQueuesARunWithTriggerAndIdempotencyKey()
    {
        _folder.Write("churn", PipelineFolder.Pipeline("churn", EveryTwoSeconds, concurrency: "queue"));
        _node = await SchedulerNode.StartAsync(_folder, new SchedulerSettings());

        await Eventually.That(() => Task.FromResult(_node.Dispatcher.Runs.Count >= 2), Soon, "two fires dispatched two runs");

        var runs = await _node.RunsOfAsync("churn");
        var dispatched = _node.Dispatcher.Runs.Take(2).ToList();
        Assert.That(runs.Select(r => r.RunId), Is.SupersetOf(dispatched.Select(r => r.RunId)));
        var definition = _node.Catalog.Find("churn")!.Definition!;
        foreach (var run in dispatched)
        {
            Assert.That(run.Trigger, Is.EqualTo("tick"));
            Assert.That(run.Status, Is.EqualTo(RunStatus.Pending));
            Assert.That(run.PipelineVersion, Is.EqualTo(definition.Version));
            Assert.That(run.IdempotencyKey, Does.StartWith("churn|tick|"));
            var scheduled = ScheduledTimeOf(run);
            Assert.That(scheduled.Offset, Is.EqualTo(TimeSpan.Zero));
            Assert.That(scheduled.Second % 2, Is.Zero, $"{run.IdempotencyKey} is not a tick of {EveryTwoSeconds}");
            Assert.That(scheduled.Millisecond, Is.Zero);
        }

        Assert.That(ScheduledTimeOf(dispatched[1]) - ScheduledTimeOf(dispatched[0]), Is.EqualTo(TimeSpan.FromSeconds(2)));
        Assert.That(_node.Logs.Matching("Pipeline {Pipeline} trigger {Trigger} fired for {ScheduledAt:O}: run {RunId} queued"), Has.Count.GreaterThanOrEqualTo(2));
    }

    [Test]
    public async Task Execute_SkipPolicyWhileARunIsPending_RecordsTheFireAsACancelledRun()
    {
        _folder.Write("churn", PipelineFolder.Pipeline("churn", EveryTwoSeconds, concurrency: "skip"));
        _node = await SchedulerNode.CreateAsync(_folder, new SchedulerSettings());
        _node.Catalog.Refresh();
        var entry = _node.Catalog.Find("churn")!;
        var (pending, _) = await _node.Services.GetRequiredService<RunLauncher>()
            .LaunchAsync(new RunRequest { Definition = entry.Definition!, Yaml = entry.Yaml!, Trigger = "manual" }, CancellationToken.None);
        await _node.StartAsync();

        // The starter creates the run, then marks it cancelled: the outcome is logged once both are written.
        await Eventually.That(
            () => Task.FromResult(_node.Logs.Matching("Pipeline {Pipeline} trigger {Trigger} fired for {ScheduledAt:O}: skipped").Count >= 1),
            Soon,
            "a fire of 'tick' is skipped");
        var skipped = (await _node.RunsOfAsync("churn")).Where(r => r.Trigger == "tick").ToList();

        Assert.That(skipped[0].Status, Is.EqualTo(RunStatus.Cancelled));
        Assert.That(skipped[0].Error, Does.Contain("concurrency: skip").And.Contain(pending.RunId));
        Assert.That(skipped[0].IdempotencyKey, Does.StartWith("churn|tick|"));
        var steps = await _node.Runs.GetStepsAsync(skipped[0].RunId, CancellationToken.None);
        Assert.That(steps.Select(s => s.Status), Is.All.EqualTo(StepStatus.Skipped));
        Assert.That(_node.Dispatcher.Runs, Is.Empty);
        Assert.That((await _node.Runs.GetAsync(pending.RunId, CancellationToken.None))!.Status, Is.EqualTo(RunStatus.Pending));
    }

    [Test]
    public async Task Execute_SameFireDeliveredTwice_CreatesOneRun()
    {
        _folder.Write("churn", PipelineFolder.Pipeline("churn", "0 0 3 * * ?"));
        _node = await SchedulerNode.StartAsync(_folder, new SchedulerSettings());
        var scheduler = await _node.SchedulerAsync();
        var fireAt = WholeSecond(DateTimeOffset.UtcNow).AddSeconds(2);

        // Two deliveries of one scheduled fire time, as a cluster fail-over produces when it re-fires recovered ticks.
        foreach (var name in new[] { "again-1", "again-2" })
        {
            var trigger = TriggerBuilder.Create().WithIdentity(name, "test").ForJob(new JobKey("churn/tick", "mlops")).StartAt(fireAt).Build();
            await scheduler.ScheduleJob(trigger);
        }

        var template = "Pipeline {Pipeline} trigger {Trigger} fired for {ScheduledAt:O}";
        await Eventually.That(() => Task.FromResult(_node.Logs.Matching(template).Count == 2), Soon, "both deliveries were handled");

        var runs = await _node.RunsOfAsync("churn");
        Assert.That(runs, Has.Count.EqualTo(1));
        Assert.That(runs[0].IdempotencyKey, Is.EqualTo(PipelineFireJob.IdempotencyKey("churn", "tick", fireAt)));
        Assert.That(runs[0].IdempotencyKey, Is.EqualTo($"churn|tick|{fireAt:O}"));
        // The second delivery queues the one run again while it is still pending (the first may have died between
        // storing and queuing it); the executor's claim lets one job execute it.
        Assert.That(_node.Dispatcher.Runs.Select(r => r.RunId).Distinct(), Is.EqualTo(new[] { runs[0].RunId }));
        Assert.That(_node.Logs.Matching($"{template} again: run {{RunId}} was already launched"), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Execute_LateFireOfASkipTrigger_IsDroppedWithoutARun()
    {
        _folder.Write("churn", PipelineFolder.Pipeline("churn", "0 0 3 * * ?", misfire: "skip"));
        _node = await SchedulerNode.StartAsync(_folder, new SchedulerSettings());

        await DeliverLateAsync("late", WholeSecond(DateTimeOffset.UtcNow.AddSeconds(-8)));

        await Eventually.That(() => Task.FromResult(_node.Logs.Matching("Fire of pipeline {Pipeline} trigger {Trigger} at {ScheduledAt:O} dropped").Count == 1), Soon, "the late fire is dropped");
        Assert.That(await _node.RunsOfAsync("churn"), Is.Empty);
    }

    [Test]
    public async Task Execute_LateFiresOfAFireOnceTrigger_FirstCatchesUpLaterOnesAreDropped()
    {
        _folder.Write("churn", PipelineFolder.Pipeline("churn", "0 0 3 * * ?", misfire: "fire_once"));
        _node = await SchedulerNode.StartAsync(_folder, new SchedulerSettings());
        var missed = WholeSecond(DateTimeOffset.UtcNow.AddSeconds(-10));

        await DeliverLateAsync("late-1", missed);
        await Eventually.That(async () => (await _node.RunsOfAsync("churn")).Count == 1, Soon, "the first late fire catches up");
        await DeliverLateAsync("late-2", missed.AddSeconds(2));

        await Eventually.That(() => Task.FromResult(_node.Logs.Matching("Fire of pipeline {Pipeline} trigger {Trigger} at {ScheduledAt:O} dropped").Count == 1), Soon, "the second late fire is dropped");
        var runs = await _node.RunsOfAsync("churn");
        Assert.That(runs.Select(r => r.IdempotencyKey), Is.EqualTo(new[] { PipelineFireJob.IdempotencyKey("churn", "tick", missed) }));
    }

    /// <summary>
    /// Delivers a fire of <c>churn/tick</c> scheduled at <paramref name="scheduled"/>, in the past, the way Quartz does after
    /// a restart for a tick it had acquired before stopping: late, without misfire handling (this trigger's own
    /// threshold is a minute, so Quartz does not treat it as misfired itself).
    /// </summary>
    private async Task DeliverLateAsync(string name, DateTimeOffset scheduled)
    {
        var scheduler = await _node!.SchedulerAsync();
        var trigger = TriggerBuilder.Create()
            .WithIdentity(name, "test")
            .ForJob(new JobKey("churn/tick", "mlops"))
            .StartAt(scheduled)
            .WithMisfireThreshold(TimeSpan.FromMinutes(1))
            .Build();
        await scheduler.ScheduleJob(trigger);
    }

    private static DateTimeOffset WholeSecond(DateTimeOffset time) =>
        new(time.Year, time.Month, time.Day, time.Hour, time.Minute, time.Second, TimeSpan.Zero);

    private static DateTimeOffset ScheduledTimeOf(RunRecord run) =>
        DateTimeOffset.Parse(run.IdempotencyKey!.Split('|')[2], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
