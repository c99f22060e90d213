using System.Globalization;
using MlOpsOrchestrator.Integration.Tests.Cluster;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Integration.Tests.Faults;

/// <summary>
/// The embedded default (no PostgreSQL) keeps its schedule across a restart of <c>mlops serve</c>: real processes on a
/// temporary home, stopped (SIGTERM or <c>kill -9</c>) for several ticks of a 2-second cron and started again. The
/// misfire policies hold as documented, edits made to the folder meanwhile are applied, and a second serve on the same
/// home is refused rather than firing every tick again.
/// </summary>
[Category(FaultSuite.Category)]
public sealed class EmbeddedScheduleRestartTests
{
    private const int Every = 2;
    private const string Cron = "0/2 * * * * ?";

    /// <summary>Longer than the misfire threshold (5 s) plus a few ticks.</summary>
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(12);

    private ClusterSandbox? _sandbox;

    [TearDown]
    public async Task KillProcesses() => _sandbox = await ClusterSandbox.EndTestAsync(_sandbox);

    [TestCase(true, TestName = "EmbeddedServe_KilledForSeveralTicks_FireOnceCatchesUpOnceAndSkipDoesNot")]
    [TestCase(false, TestName = "EmbeddedServe_StoppedForSeveralTicks_FireOnceCatchesUpOnceAndSkipDoesNot")]
    public async Task EmbeddedServe_DownForSeveralTicks_FireOnceCatchesUpOnceAndSkipDoesNot(bool kill)
    {
        var sandbox = _sandbox = await ClusterSandbox.CreateEmbeddedAsync(kill ? "misfire-kill" : "misfire-stop");
        await sandbox.WriteChurnDataAsync("churn.csv", 400);
        var once = new ChurnPipeline("misfire-once", "churn.csv") { Cron = Cron, Misfire = "fire_once" };
        var skip = new ChurnPipeline("misfire-skip", "churn.csv") { Cron = Cron, Misfire = "skip" };
        sandbox.WritePipeline(once.Name, once.ToYaml());
        sandbox.WritePipeline(skip.Name, skip.ToYaml());

        var first = await sandbox.StartServeAsync("serve#1");
        await WaitUntilEachRanAsync(sandbox, once.Name, skip.Name);
        var down = await StopBetweenTicksAsync(first, kill);
        await Poll.UntilAsync(down + Outage);
        var up = DateTimeOffset.UtcNow;
        var second = await sandbox.StartServeAsync("serve#2");
        await Poll.UntilAsync(second.ReadyAt + TimeSpan.FromSeconds(7));

        var missed = CronGrid.Ticks(down, up, Every).ToList();
        var outcomes = new Dictionary<string, (List<RunRow> CatchUp, List<RunRow> After, IReadOnlyList<RunRow> All)>();
        foreach (var pipeline in new[] { once, skip })
        {
            var all = await sandbox.RunsAsync(pipeline.Name);
            var runs = all.Where(r => r.CreatedAt > down).ToList();
            Report($"{pipeline.Name}: {(kill ? "killed" : "stopped")} {RunRow.Format(down)}, restarted {RunRow.Format(up)} (ready {RunRow.Format(second.ReadyAt)}); ticks missed: {missed.Count}", all);
            outcomes[pipeline.Name] = (
                runs.Where(r => r.ScheduledAt is { } s && s < up).ToList(),
                runs.Where(r => r.ScheduledAt is { } s && s >= up).ToList(),
                all);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(missed, Has.Count.GreaterThanOrEqualTo(5), "the outage covered several ticks");
            Assert.That(outcomes[once.Name].CatchUp, Has.Count.EqualTo(1), "misfire: fire_once starts exactly one run for the missed ticks");
            Assert.That(outcomes[once.Name].CatchUp.Select(r => r.ScheduledAt), Is.All.Matches<DateTimeOffset?>(s => missed.Contains(s!.Value)),
                "the catch-up run is for one of the missed ticks");
            Assert.That(outcomes[skip.Name].CatchUp, Is.Empty, "misfire: skip starts no run for the missed ticks");
            Assert.That(outcomes[once.Name].After, Has.Count.GreaterThanOrEqualTo(2), "fire_once: the normal ticks continue after the restart");
            Assert.That(outcomes[skip.Name].After, Has.Count.GreaterThanOrEqualTo(2), "skip: the normal ticks continue after the restart");
            foreach (var (name, outcome) in outcomes)
            {
                Assert.That(outcome.All.Select(r => r.ScheduledAt), Is.Unique, $"{name}: one run per tick, none twice across the restart");
                Assert.That(outcome.All.Where(r => r.Status == "failed"), Is.Empty, $"{name}: no run fails");
            }
        }
    }

    [Test]
    public async Task EmbeddedServe_PipelinesEditedAndRemovedWhileDown_ScheduleFollowsTheFolderOnRestart()
    {
        var sandbox = _sandbox = await ClusterSandbox.CreateEmbeddedAsync("reconcile");
        await sandbox.WriteChurnDataAsync("churn.csv", 400);
        var edited = new ChurnPipeline("edited", "churn.csv") { Cron = Cron, Misfire = "fire_once" };
        var recron = new ChurnPipeline("recron", "churn.csv") { Cron = Cron };
        var gone = new ChurnPipeline("gone", "churn.csv") { Cron = Cron };
        foreach (var pipeline in new[] { edited, recron, gone })
        {
            sandbox.WritePipeline(pipeline.Name, pipeline.ToYaml());
        }

        var first = await sandbox.StartServeAsync("serve#1");
        await WaitUntilEachRanAsync(sandbox, edited.Name, recron.Name, gone.Name);
        var down = await StopBetweenTicksAsync(first, kill: true);

        // While nothing runs: a step of one pipeline changes (its schedule does not), another gets odd seconds, a third is deleted.
        sandbox.WritePipeline(edited.Name, (edited with { FastTreeTrees = 5 }).ToYaml());
        const string oddSeconds = "1/2 * * * * ?";
        sandbox.WritePipeline(recron.Name, (recron with { Cron = oddSeconds }).ToYaml());
        File.Delete(Path.Combine(sandbox.Pipelines, $"{gone.Name}.yaml"));
        await Poll.UntilAsync(down + Outage);
        var up = DateTimeOffset.UtcNow;
        var second = await sandbox.StartServeAsync("serve#2");
        await Poll.UntilAsync(second.ReadyAt + TimeSpan.FromSeconds(7));

        var editedRuns = (await sandbox.RunsAsync(edited.Name)).Where(r => r.CreatedAt > down).ToList();
        var recronRuns = (await sandbox.RunsAsync(recron.Name)).Where(r => r.CreatedAt > down).ToList();
        var goneRuns = (await sandbox.RunsAsync(gone.Name)).Where(r => r.CreatedAt > down).ToList();
        var triggers = await sandbox.TextRowsAsync("SELECT t.trigger_name || ' ' || c.cron_expression FROM qrtz_triggers t JOIN qrtz_cron_triggers c USING (sched_name, trigger_name, trigger_group) ORDER BY 1");
        var states = await sandbox.TextRowsAsync("SELECT trigger_state FROM qrtz_triggers");
        Report($"killed {RunRow.Format(down)}, restarted {RunRow.Format(up)}; Quartz holds: {string.Join("; ", triggers)} ({string.Join(", ", states)})", [.. editedRuns, .. recronRuns, .. goneRuns]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(triggers, Is.EquivalentTo(new[] { $"edited/tick {Cron}", $"recron/tick {oddSeconds}" }),
                "Quartz holds exactly the folder's triggers: the deleted pipeline's is gone, the changed cron is stored");
            Assert.That(states, Is.All.AnyOf("WAITING", "ACQUIRED", "EXECUTING"), "every trigger is live (none paused or in ERROR)");
            Assert.That(goneRuns, Is.Empty, "the pipeline deleted while serve was down never fires again, not even to catch up");
            Assert.That(editedRuns.Count(r => r.ScheduledAt < up), Is.EqualTo(1),
                "an edit that keeps the schedule keeps the trigger: its fire_once catch-up still happens, once");
            Assert.That(second.Process.StderrLines("Updated pipeline edited trigger tick"), Has.Count.EqualTo(1), "the edit is applied to the stored job");
            var recronAfter = recronRuns.Where(r => r.ScheduledAt >= up).Select(r => r.ScheduledAt!.Value).ToList();
            Assert.That(recronAfter, Has.Count.GreaterThanOrEqualTo(2), "the rescheduled pipeline fires after the restart");
            Assert.That(recronAfter.Select(s => s.Second % 2), Is.All.EqualTo(1), "on its new cron: odd seconds");
            Assert.That(editedRuns.Concat(recronRuns).Where(r => r.Status == "failed"), Is.Empty, "no run fails");
        }
    }

    [Test]
    public async Task EmbeddedServe_SecondServeOnTheSameHome_IsRefusedAndTheFirstKeepsFiringOnce()
    {
        var sandbox = _sandbox = await ClusterSandbox.CreateEmbeddedAsync("second-serve");
        await sandbox.WriteChurnDataAsync("churn.csv", 400);
        var pipeline = new ChurnPipeline("tick", "churn.csv") { Cron = Cron };
        sandbox.WritePipeline(pipeline.Name, pipeline.ToYaml());
        var first = await sandbox.StartServeAsync("serve#1");

        await using var second = MlopsProcess.Start("serve#2", sandbox.Root, null,
            ["serve", "--pipelines", sandbox.Pipelines, "--urls", "http://127.0.0.1:0", .. sandbox.StateArguments]);
        var exit = await second.WaitForExitAsync(ServeProcess.StartTimeout);
        await Poll.UntilAsync(first.ReadyAt + TimeSpan.FromSeconds(9));
        var runs = await sandbox.RunsAsync(pipeline.Name);
        Report($"second serve exited {exit}: {second.Stderr.Trim()}", runs);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(2), "the second serve refuses to start (exit 2), saying why");
            Assert.That(second.Stderr, Does.Contain("--home").And.Contain("--postgres"), "the refusal says how to run a second serve");
            Assert.That(second.Stdout, Does.Not.Contain("dashboard:"), "nothing was started");
            Assert.That(runs, Has.Count.GreaterThanOrEqualTo(3), "the first serve keeps firing");
            Assert.That(runs.Select(r => r.ScheduledAt), Is.Unique, "one run per tick");
            Assert.That(runs.Select(r => r.ScheduledAt!.Value).Select(CronGrid.OnGrid(Every)), Is.All.True, "every run is a tick of the cron");
        }
    }

    private static async Task WaitUntilEachRanAsync(ClusterSandbox sandbox, params string[] pipelines)
    {
        var ran = await Poll.UntilAsync(async () =>
        {
            foreach (var pipeline in pipelines)
            {
                if (!(await sandbox.RunsAsync(pipeline)).Any(r => r.Status == "succeeded"))
                {
                    return false;
                }
            }

            return true;
        }, TimeSpan.FromSeconds(20));
        Assert.That(ran, Is.True, $"each of {string.Join(", ", pipelines)} ran on its cron before the outage");
    }

    /// <summary>Half-way between two ticks, when the tick's short runs are over: returns when the serve was gone.</summary>
    private static async Task<DateTimeOffset> StopBetweenTicksAsync(ServeProcess serve, bool kill)
    {
        await Poll.UntilAsync(CronGrid.NextTick(DateTimeOffset.UtcNow, Every) + TimeSpan.FromSeconds(1));
        if (kill)
        {
            await serve.Process.KillAsync();
            return serve.Process.KilledAt!.Value;
        }

        var exit = await serve.Process.TerminateAsync(TimeSpan.FromSeconds(30));
        Assert.That(exit, Is.Zero, "serve stops gracefully on SIGTERM");
        return DateTimeOffset.UtcNow;
    }

    private static void Report(string headline, IEnumerable<RunRow> runs)
    {
        TestContext.Out.WriteLine(headline);
        foreach (var run in runs)
        {
            TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {run}"));
        }
    }
}
