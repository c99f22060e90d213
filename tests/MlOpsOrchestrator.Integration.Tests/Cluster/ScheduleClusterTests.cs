using System.Globalization;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Integration.Tests.Cluster;

/// <summary>
/// The schedule side of a PostgreSQL cluster, with real <c>mlops serve</c> processes: cron pipelines fire repeatedly,
/// two serves fire each tick once, misfire policies after an outage, and <c>concurrency: skip</c>. Each test has its
/// own database, home and pipelines folder; every process is killed in the tear-down.
/// </summary>
[Category("cluster")]
public sealed class ScheduleClusterTests
{
    private ClusterSandbox? _sandbox;

    [TearDown]
    public async Task KillProcesses() => _sandbox = await ClusterSandbox.EndTestAsync(_sandbox);

    [Test]
    public async Task Serve_TwoSecondCron_RunsSucceedRepeatedly()
    {
        var sandbox = _sandbox = await ClusterSandbox.CreateAsync("cron_repeat");
        await sandbox.WriteChurnDataAsync("churn.csv", 400);
        var pipeline = new ChurnPipeline("tick", "churn.csv") { Cron = "0/2 * * * * ?" };
        sandbox.WritePipeline(pipeline.Name, pipeline.ToYaml());

        var serve = await sandbox.StartServeAsync("serve");
        var succeeded = 0;
        var reached = await Poll.UntilAsync(async () =>
        {
            succeeded = (await serve.RunsAsync(pipeline.Name)).Count(r => r.GetProperty("status").GetString() == "succeeded");
            return succeeded >= 3;
        }, TimeSpan.FromSeconds(12));
        var elapsed = DateTimeOffset.UtcNow - serve.ReadyAt;
        var runs = await sandbox.RunsAsync(pipeline.Name);
        Report($"serve ready {RunRow.Format(serve.ReadyAt)}; {succeeded} succeeded after {elapsed.TotalSeconds:0.0} s", runs);

        var scheduled = runs.Select(r => r.ScheduledAt).OfType<DateTimeOffset>().ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(reached, Is.True, $"at least 3 runs of a 2-second cron succeed within 12 s of start-up; {succeeded} did");
            Assert.That(runs.Select(r => r.Trigger), Is.All.EqualTo(ChurnPipeline.TriggerId), "every run comes from the cron trigger");
            Assert.That(runs.Where(r => r.Status == "failed"), Is.Empty, "no run fails");
            Assert.That(scheduled, Has.Count.EqualTo(runs.Count), "every cron run carries its scheduled fire time as idempotency key");
            Assert.That(scheduled, Is.Unique.And.Ordered, "one run per fire");
            Assert.That(scheduled.Select(OnGrid(2)), Is.All.True, "the fire times are the cron's: whole seconds, even");
        }
    }

    [Test]
    public async Task TwoServes_SameDatabaseAndFolder_FireEachTickOnce()
    {
        var sandbox = _sandbox = await ClusterSandbox.CreateAsync("cron_two_serves");
        await sandbox.WriteChurnDataAsync("churn.csv", 400);
        var pipeline = new ChurnPipeline("tick", "churn.csv") { Cron = "0/2 * * * * ?" };
        sandbox.WritePipeline(pipeline.Name, pipeline.ToYaml());

        var serves = await Task.WhenAll(sandbox.StartServeAsync("serve#1"), sandbox.StartServeAsync("serve#2"));
        var from = serves.Max(s => s.ReadyAt);
        await Poll.UntilAsync(from + TimeSpan.FromSeconds(7));
        var nodes = await sandbox.TextRowsAsync("SELECT instance_name FROM qrtz_scheduler_state ORDER BY instance_name");
        await Poll.UntilAsync(from + TimeSpan.FromSeconds(15));
        var until = DateTimeOffset.UtcNow;
        var runs = await sandbox.RunsAsync(pipeline.Name);
        await Task.Delay(TimeSpan.FromMilliseconds(500)); // the fire of the last run read is logged just after it is stored

        // Count fires by the serve that delivered them: a tick delivered twice would be logged again as "fired for T again".
        var fired = serves.Select(s => (s.Process.Name, Fires: Fires(s), Again: s.Process.StderrLines("was already launched for this fire"))).ToList();
        Report($"serves ready by {RunRow.Format(from)}, watched until {RunRow.Format(until)}; Quartz nodes: {string.Join(", ", nodes)}; " +
               string.Join("; ", fired.Select(f => $"{f.Name} fired {f.Fires.Count}, re-delivered {f.Again.Count}")), runs);

        var scheduled = runs.Select(r => r.ScheduledAt).OfType<DateTimeOffset>().ToList();
        // Ticks before both were ready may come late from a serve still starting; the claims are about both running.
        var both = runs.Where(r => r.ScheduledAt >= from).ToList();
        var inWindow = both.Select(r => r.ScheduledAt!.Value).Where(s => s <= until - TimeSpan.FromSeconds(1)).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(nodes, Has.Count.EqualTo(2), "both serves joined the Quartz cluster");
            Assert.That(scheduled, Has.Count.EqualTo(runs.Count), "every run comes from a cron fire");
            Assert.That(runs.Select(r => r.IdempotencyKey), Is.Unique, "idempotency keys are distinct");
            Assert.That(scheduled, Is.Unique, "at most one run per scheduled fire time");
            Assert.That(scheduled.Select(OnGrid(2)), Is.All.True, "every fire time is one of the cron's 2-second ticks");
            Assert.That(both.Select(r => r.CreatedAt - r.ScheduledAt!.Value), Is.All.LessThan(TimeSpan.FromSeconds(2)),
                "while both serves run, each run is created within its own 2-second tick, not later as a second delivery");
            Assert.That(inWindow.Count, Is.GreaterThanOrEqualTo(6), "the ticks of ~14 s of two serves (7 ticks) were fired");
            Assert.That(Gaps(inWindow), Is.All.EqualTo(TimeSpan.FromSeconds(2)), "no tick was lost while both serves ran");
            Assert.That(runs.Select(r => fired.Sum(f => f.Fires.Count(l => Records(l, r.RunId)))), Is.All.EqualTo(1),
                "each run was recorded by exactly one fire of one serve");
            Assert.That(fired.SelectMany(f => f.Again), Is.Empty, "no tick was delivered to a second serve");
        }
    }

    [Test]
    [Category(Faults.FaultSuite.Category)]
    public async Task TwoServes_FiringServeKilled_SurvivorTakesOverAndFiresTheMissedTicksOnce()
    {
        var sandbox = _sandbox = await ClusterSandbox.CreateAsync("cron_failover");
        await sandbox.WriteChurnDataAsync("churn.csv", 400);
        var pipeline = new ChurnPipeline("tick", "churn.csv") { Cron = "0/2 * * * * ?" };
        sandbox.WritePipeline(pipeline.Name, pipeline.ToYaml());

        var serves = await Task.WhenAll(sandbox.StartServeAsync("serve#1"), sandbox.StartServeAsync("serve#2"));
        var ticking = await Poll.UntilAsync(async () => (await sandbox.RunsAsync(pipeline.Name)).Count >= 2, TimeSpan.FromSeconds(15));
        Assert.That(ticking, Is.True, "the serves fire the 2-second cron");

        // Between two ticks, after the last tick's run was created, Quartz has the next tick acquired by one node: the
        // node that will fire it. Killing that one leaves the tick with a dead node, which the survivor must recover.
        await Poll.UntilAsync(NextGridTick(DateTimeOffset.UtcNow, 2) + TimeSpan.FromSeconds(1));
        ServeProcess? firing = null;
        await Poll.UntilAsync(async () =>
        {
            var holders = await sandbox.TextRowsAsync("SELECT instance_name FROM qrtz_fired_triggers WHERE state = 'ACQUIRED'");
            firing = serves.FirstOrDefault(s => holders.Any(h => h.EndsWith($"-{s.Process.Id}", StringComparison.Ordinal)));
            return firing is not null;
        }, TimeSpan.FromSeconds(0.8), TimeSpan.FromMilliseconds(50));
        firing ??= serves.OrderByDescending(s => Fires(s).Count).First();
        var survivor = serves.Single(s => s != firing);
        var firedBefore = Fires(survivor).Count;
        await firing.Process.KillAsync();
        var down = firing.Process.KilledAt!.Value;
        var resumed = await Poll.UntilAsync(async () => (await sandbox.RunsAsync(pipeline.Name)).Any(r => r.CreatedAt > down), TimeSpan.FromSeconds(45));
        Assert.That(resumed, Is.True, $"{survivor.Process.Name} fires again within 45 s of {firing.Process.Name}'s death");
        await Task.Delay(TimeSpan.FromSeconds(5));

        var runs = await sandbox.RunsAsync(pipeline.Name);
        var after = runs.Where(r => r.CreatedAt > down).ToList();
        var takeOver = after.Count == 0 ? (TimeSpan?)null : after.Min(r => r.CreatedAt) - down;
        // Runs the late ticks started; a tick delivered together with them and recorded as a skipped fire ('concurrency:
        // skip') started nothing.
        var late = after.Where(r => r.CreatedAt - r.ScheduledAt!.Value > TimeSpan.FromSeconds(2) && !(r.Status == "cancelled" && r.StartedAt is null)).ToList();
        var onTime = after.Except(late).ToList();
        var missed = after.Count == 0 ? 0 : GridTicks(down, after.Min(r => r.CreatedAt), 2).Count();
        Report($"{firing.Process.Name} fired {Fires(firing).Count} tick(s) and was killed at {RunRow.Format(down)}; {survivor.Process.Name} took over after " +
               $"{takeOver?.TotalSeconds:0.0} s ({missed} tick(s) missed meanwhile; it fired {firedBefore} before and {Fires(survivor).Count - firedBefore} after, re-delivered {survivor.Process.StderrLines("was already launched for this fire").Count})", runs);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(takeOver, Is.Not.Null.And.LessThan(TimeSpan.FromSeconds(20)), "the surviving serve takes the schedule over within 10-15 s (documented), 20 s at most");
            Assert.That(runs.Select(r => r.ScheduledAt), Is.Unique, "no tick starts two runs across the fail-over");
            Assert.That(late, Has.Count.EqualTo(1), "misfire: fire_once (the default): the ticks missed during the fail-over start one run");
            Assert.That(onTime, Has.Count.GreaterThanOrEqualTo(2), "then the 2-second ticks continue on the survivor");
            Assert.That(runs.Where(r => r.Status == "failed"), Is.Empty, "no run fails");
        }
    }

    [Test]
    [Category(Faults.FaultSuite.Category)]
    public async Task Serve_ThirtySecondOutage_FireOnceCatchesUpOnceAndSkipDoesNot()
    {
        var sandbox = _sandbox = await ClusterSandbox.CreateAsync("cron_misfire");
        await sandbox.WriteChurnDataAsync("churn.csv", 400);
        var once = new ChurnPipeline("misfire-once", "churn.csv") { Cron = "0/5 * * * * ?", Misfire = "fire_once" };
        var skip = new ChurnPipeline("misfire-skip", "churn.csv") { Cron = "0/5 * * * * ?", Misfire = "skip" };
        sandbox.WritePipeline(once.Name, once.ToYaml());
        sandbox.WritePipeline(skip.Name, skip.ToYaml());

        var first = await sandbox.StartServeAsync("serve#1");
        var bothFired = await Poll.UntilAsync(
            async () => (await sandbox.RunsAsync(once.Name)).Any(r => r.Status == "succeeded") && (await sandbox.RunsAsync(skip.Name)).Any(r => r.Status == "succeeded"),
            TimeSpan.FromSeconds(15));
        Assert.That(bothFired, Is.True, "both pipelines ran on their 5-second cron before the outage");

        // Kill half-way between two ticks, when the tick's short runs are over.
        await Poll.UntilAsync(NextGridTick(DateTimeOffset.UtcNow, 5) + TimeSpan.FromSeconds(2.5));
        await first.Process.KillAsync();
        var down = first.Process.KilledAt!.Value;
        await Poll.UntilAsync(down + TimeSpan.FromSeconds(30));
        var up = DateTimeOffset.UtcNow;
        var second = await sandbox.StartServeAsync("serve#2");
        await Poll.UntilAsync(second.ReadyAt + TimeSpan.FromSeconds(11));

        var missed = GridTicks(down, up, 5).ToList();
        var outcomes = new Dictionary<string, (List<RunRow> CatchUp, List<RunRow> After)>();
        foreach (var pipeline in new[] { once, skip })
        {
            var runs = (await sandbox.RunsAsync(pipeline.Name)).Where(r => r.CreatedAt > down).ToList();
            Report($"{pipeline.Name}: killed {RunRow.Format(down)}, restarted {RunRow.Format(up)} (ready {RunRow.Format(second.ReadyAt)}); ticks missed: {missed.Count}", runs);
            outcomes[pipeline.Name] = (
                runs.Where(r => r.ScheduledAt is { } s && (s < up || !OnGrid(5)(s))).ToList(),
                runs.Where(r => r.ScheduledAt is { } s && s >= up && OnGrid(5)(s)).ToList());
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(missed, Has.Count.GreaterThanOrEqualTo(5), "the outage covered several ticks");
            Assert.That(outcomes[once.Name].CatchUp, Has.Count.EqualTo(1), "misfire: fire_once starts exactly one run for the missed ticks");
            Assert.That(outcomes[skip.Name].CatchUp, Is.Empty, "misfire: skip starts no run for the missed ticks");
            Assert.That(outcomes[once.Name].After, Has.Count.GreaterThanOrEqualTo(2), "fire_once: the normal ticks continue after the restart");
            Assert.That(outcomes[skip.Name].After, Has.Count.GreaterThanOrEqualTo(2), "skip: the normal ticks continue after the restart");
        }
    }

    [Test]
    public async Task Serve_ConcurrencySkip_NeverOverlapsTwoRunsAndRecordsSkippedFires()
    {
        var sandbox = _sandbox = await ClusterSandbox.CreateAsync("cron_skip");
        // Training must outlast the 2-second tick even on an idle machine, so fires land while a run is active.
        await sandbox.WriteChurnDataAsync("churn.csv", 10000);
        var pipeline = new ChurnPipeline("overlap", "churn.csv") { Cron = "0/2 * * * * ?", Concurrency = "skip", FastTreeTrees = 500 };
        sandbox.WritePipeline(pipeline.Name, pipeline.ToYaml());

        var serve = await sandbox.StartServeAsync("serve");
        await Poll.UntilAsync(serve.ReadyAt + TimeSpan.FromSeconds(30));
        var now = DateTimeOffset.UtcNow;
        var runs = await sandbox.RunsAsync(pipeline.Name);
        Report($"serve ready {RunRow.Format(serve.ReadyAt)}, read at {RunRow.Format(now)}", runs);

        var executed = runs.Where(r => r.StartedAt is not null).OrderBy(r => r.StartedAt).ToList();
        var skipped = runs.Where(r => r.Status == "cancelled").ToList();
        var overlaps = executed.Zip(executed.Skip(1))
            .Where(p => p.Second.StartedAt < (p.First.FinishedAt ?? now))
            .Select(p => $"{p.Second.RunId} started {RunRow.Format(p.Second.StartedAt)} before {p.First.RunId} finished {RunRow.Format(p.First.FinishedAt)}")
            .ToList();
        // A skipped fire's finish time is the moment its fire was judged (its record is stored a moment later, when the
        // run it names may just have ended): that moment must fall inside the named run's life.
        var unexplained = skipped.Where(s => !executed.Any(e => s.Error?.Contains(e.RunId, StringComparison.Ordinal) == true
                                                              && e.CreatedAt <= (s.FinishedAt ?? s.CreatedAt)
                                                              && (s.FinishedAt ?? s.CreatedAt) <= (e.FinishedAt ?? now)))
            .Select(s => s.ToString()).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(executed, Has.Count.GreaterThanOrEqualTo(2), "runs of ~5 s each started one after another");
            Assert.That(overlaps, Is.Empty, "no two runs of the pipeline overlap");
            Assert.That(executed.Where(r => r.FinishedAt is not null).Select(r => r.Status), Is.All.EqualTo("succeeded"), "the executed runs succeed");
            Assert.That(skipped, Has.Count.GreaterThanOrEqualTo(1), "fires during a run are recorded as skipped");
            Assert.That(skipped.Select(s => s.Error), Is.All.Contain("fire skipped"), "a skipped fire says so");
            Assert.That(skipped.Select(s => s.StartedAt), Is.All.Null, "a skipped fire never executes");
            Assert.That(unexplained, Is.Empty, "each skipped fire names the run that was active when it fired");
            Assert.That(runs.Select(r => r.ScheduledAt), Is.Unique, "one record per tick");
        }
    }

    /// <summary>The fires a serve logged that recorded a run ("fired for T: run R queued" or "...: skipped"), not a repeated delivery ("fired for T again").</summary>
    private static List<string> Fires(ServeProcess serve) =>
        serve.Process.StderrLines($"trigger {ChurnPipeline.TriggerId} fired for").Where(l => !l.Contains(" again: ", StringComparison.Ordinal)).ToList();

    /// <summary>Whether a fire line says it recorded <paramref name="runId"/> ("run R queued", or "recorded as run R" for a skipped fire, which also names the active run).</summary>
    private static bool Records(string fireLine, string runId) =>
        fireLine.Contains($"run {runId} queued", StringComparison.Ordinal) || fireLine.EndsWith($"recorded as run {runId}", StringComparison.Ordinal);

    private static Func<DateTimeOffset, bool> OnGrid(int seconds) => CronGrid.OnGrid(seconds);

    private static DateTimeOffset NextGridTick(DateTimeOffset after, int seconds) => CronGrid.NextTick(after, seconds);

    private static IEnumerable<DateTimeOffset> GridTicks(DateTimeOffset from, DateTimeOffset until, int seconds) => CronGrid.Ticks(from, until, seconds);

    private static IEnumerable<TimeSpan> Gaps(IReadOnlyList<DateTimeOffset> times) =>
        times.Order().Zip(times.Order().Skip(1)).Select(p => p.Second - p.First);

    private static void Report(string headline, IEnumerable<RunRow> runs)
    {
        TestContext.Out.WriteLine(headline);
        foreach (var run in runs)
        {
            TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {run}"));
        }
    }
}
