using System.Globalization;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Scheduling.Quartz;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Scheduling.Tests.Quartz;

/// <summary>Two scheduler processes on one PostgreSQL database and one pipelines folder, as a cluster runs them.</summary>
[Category("Postgres")]
public sealed class ClusteredSchedulerTests
{
    private static readonly TimeSpan Observation = TimeSpan.FromSeconds(11);

    private PipelineFolder _folder = null!;
    private readonly List<SchedulerNode> _nodes = [];

    [SetUp]
    public void SetUp() => _folder = new PipelineFolder();

    [TearDown]
    public async Task TearDown()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        _nodes.Clear();
        _folder.Dispose();
    }

    [Test]
    public async Task TwoNodes_TwoSecondCron_EveryTickCreatesExactlyOneRun()
    {
        var server = await PostgresTestEnvironment.RequireAsync();
        var connectionString = await server.CreateDatabaseAsync("quartz_cluster");
        _folder.Write("churn", PipelineFolder.Pipeline("churn", "0/2 * * * * ?", concurrency: "queue"));
        foreach (var id in new[] { SchedulerSettings.AutoInstanceId, "node-b" })
        {
            _nodes.Add(await SchedulerNode.CreateAsync(_folder, new SchedulerSettings { PostgresConnectionString = connectionString, InstanceId = id, Schema = "quartz" }, id));
        }

        // Both start at once on an empty database: schema provisioning and scheduling race on purpose.
        await Task.WhenAll(_nodes.Select(n => n.StartAsync()));
        var from = DateTimeOffset.UtcNow;
        await Task.Delay(Observation);
        var until = DateTimeOffset.UtcNow;

        var members = await (await _nodes[0].SchedulerAsync()).QueryClusterNodes();
        Assert.That(members.Select(m => m.InstanceId).ToList(), Is.Unique.And.Count.EqualTo(2).And.Contains("node-b"));

        var ticks = (await _nodes[0].RunsOfAsync("churn"))
            .Where(r => r.Trigger == "tick")
            .Select(ScheduledTimeOf)
            .Where(t => t > from.AddSeconds(1) && t < until.AddSeconds(-1))
            .Order()
            .ToList();
        TestContext.Progress.WriteLine($"ticks seen: {string.Join(", ", ticks.Select(t => t.ToString("HH:mm:ss", CultureInfo.InvariantCulture)))}");
        Assert.That(ticks, Has.Count.GreaterThanOrEqualTo(4));
        Assert.That(ticks, Is.Unique);
        Assert.That(ticks.Select(t => t.Second % 2), Is.All.Zero);
        Assert.That(ticks.Zip(ticks.Skip(1), (a, b) => b - a), Is.All.EqualTo(TimeSpan.FromSeconds(2)), "a tick without a run");

        // The run store would absorb a double fire through the idempotency key; Quartz must not even try.
        var fires = _nodes.SelectMany(n => n.Logs.Matching("Pipeline {Pipeline} trigger {Trigger} fired for {ScheduledAt:O}")).ToList();
        Assert.That(fires.Where(e => e.Template.Contains("already launched", StringComparison.Ordinal)), Is.Empty, "a tick fired on both nodes");
        Assert.That(_nodes.Sum(n => n.Dispatcher.Runs.Count), Is.EqualTo(fires.Count));
        TestContext.Progress.WriteLine($"fires per node: {string.Join(", ", _nodes.Select(n => $"{n.Logs.Node}={n.Dispatcher.Runs.Count}"))}");
    }

    [Test]
    public async Task Restart_AfterAnOutageLongerThanTheMisfireThreshold_FireOnceCatchesUpOnceAndSkipDoesNot()
    {
        var server = await PostgresTestEnvironment.RequireAsync();
        var settings = new SchedulerSettings { PostgresConnectionString = await server.CreateDatabaseAsync("quartz_misfire"), InstanceId = "node-a" };
        _folder.Write("fire-once", PipelineFolder.Pipeline("fire-once", "0/2 * * * * ?", concurrency: "queue", misfire: "fire_once"));
        _folder.Write("skip-missed", PipelineFolder.Pipeline("skip-missed", "0/2 * * * * ?", concurrency: "queue", misfire: "skip"));

        var first = await SchedulerNode.StartAsync(_folder, settings, "before");
        _nodes.Add(first);
        await Eventually.That(async () => (await first.RunsOfAsync("fire-once")).Count > 0 && (await first.RunsOfAsync("skip-missed")).Count > 0, TimeSpan.FromSeconds(10), "both pipelines fired before the outage");
        await first.DisposeAsync();
        var down = DateTimeOffset.UtcNow;
        await Task.Delay(settings.MisfireThreshold + TimeSpan.FromSeconds(4));
        var restarted = DateTimeOffset.UtcNow;
        var second = await SchedulerNode.StartAsync(_folder, settings, "after");
        _nodes.Add(second);
        await Task.Delay(TimeSpan.FromSeconds(4));

        var fireOnce = (await second.RunsOfAsync("fire-once")).Where(r => ScheduledTimeOf(r) > down).ToList();
        var skipMissed = (await second.RunsOfAsync("skip-missed")).Where(r => ScheduledTimeOf(r) > down).ToList();
        TestContext.Progress.WriteLine($"down {down:HH:mm:ss.fff}, restarted {restarted:HH:mm:ss.fff}; fire_once: {Times(fireOnce)}; skip: {Times(skipMissed)}");

        // fire_once: one catch-up run, started after the restart and keyed by the first missed tick; then the ticks resume.
        var missed = fireOnce.Where(r => ScheduledTimeOf(r) < restarted).ToList();
        Assert.That(missed, Has.Count.EqualTo(1), "fire_once catches up exactly once");
        Assert.That(missed[0].CreatedAt, Is.GreaterThanOrEqualTo(restarted));
        Assert.That(fireOnce.Select(ScheduledTimeOf).Where(t => t > restarted), Is.Not.Empty.And.All.Matches<DateTimeOffset>(IsTick));

        // skip: the missed ticks leave no run at all; the schedule simply resumes with the next tick.
        Assert.That(skipMissed.Select(ScheduledTimeOf), Is.Not.Empty.And.All.GreaterThan(restarted).And.All.Matches<DateTimeOffset>(IsTick));
    }

    private static bool IsTick(DateTimeOffset time) => time.Millisecond == 0 && time.Second % 2 == 0;

    private static string Times(IEnumerable<RunRecord> runs) =>
        string.Join(", ", runs.OrderBy(ScheduledTimeOf).Select(r => $"{ScheduledTimeOf(r):HH:mm:ss.fff} (created {r.CreatedAt:HH:mm:ss.fff})"));

    private static DateTimeOffset ScheduledTimeOf(RunRecord run) =>
        DateTimeOffset.Parse(run.IdempotencyKey!.Split('|')[2], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
