using System.Globalization;
using MlOpsOrchestrator.Integration.Tests.Cluster;
using MlOpsOrchestrator.TestSupport;
using Npgsql;
using NUnit.Framework;

namespace MlOpsOrchestrator.Integration.Tests.Faults;

/// <summary>
/// PostgreSQL restarted under a running <c>mlops serve</c>: a cluster of the test's own is stopped at once and started
/// again (crash recovery, 57P03 while it starts) several times, under 2-second crons and while a long run trains.
/// Afterwards every pipeline still fires, no Quartz trigger is left in <c>ERROR</c>, no tick made two runs, no run is
/// stuck past the documented recovery of lost queue entries (pending for 2 minutes, looked for every 30 s), every
/// pipeline succeeds again, and every model version has its artifact.
/// </summary>
[Category(FaultSuite.Category)]
public sealed class PostgresRestartTests
{
    private const int Every = 2;
    private const int Restarts = 4;
    private static readonly string[] Finished = ["succeeded", "failed", "cancelled"];

    /// <summary>A run left pending by the outage is queued again after 2 minutes untouched, at a sweep every 30 s; then it runs.</summary>
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromMinutes(3);

    private PostgresCluster? _cluster;
    private ClusterSandbox? _sandbox;

    [TearDown]
    public async Task StopEverything()
    {
        _sandbox = await ClusterSandbox.EndTestAsync(_sandbox);

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
            _cluster = null;
        }
    }

    [Test]
    public async Task Postgres_RestartedRepeatedlyUnderCronAndMidRun_EveryPipelineKeepsFiringNothingStuckOrInError()
    {
        _cluster = await PostgresTestEnvironment.RequireOwnClusterAsync();
        var sandbox = _sandbox = await ClusterSandbox.CreateAsync("pg_restart", _cluster);
        await sandbox.WriteChurnDataAsync("churn.csv", 400);
        await sandbox.WriteChurnDataAsync("churn-large.csv", 10000);
        var ticking = Enumerable.Range(1, 3).Select(i => new ChurnPipeline($"tick-{i}", "churn.csv") { Cron = "0/2 * * * * ?" }).ToList();
        var slow = new ChurnPipeline("slow", "churn-large.csv") { FastTreeTrees = 300 };
        foreach (var pipeline in ticking.Append(slow))
        {
            sandbox.WritePipeline(pipeline.Name, pipeline.ToYaml());
        }

        var serve = await sandbox.StartServeAsync("serve");
        var allTicked = await Poll.UntilAsync(async () => await EachRanAsync(sandbox, ticking), TimeSpan.FromSeconds(20));
        Assert.That(allTicked, Is.True, "every cron pipeline ran before the restarts");

        // A run mid-step when the database goes away: training is under way.
        var slowRun = await serve.StartRunAsync(slow.Name);
        await serve.Process.WaitForStderrAsync($"[{slowRun} train] Step train: started", TimeSpan.FromSeconds(60));
        var restarts = new List<string>();
        for (var i = 0; i < Restarts; i++)
        {
            var at = DateTimeOffset.UtcNow;
            await _cluster.RestartAsync(TimeSpan.FromSeconds(1));
            NpgsqlConnection.ClearAllPools(); // this test's own connections died with the server; serve must cope by itself
            restarts.Add($"{RunRow.Format(at)}-{RunRow.Format(DateTimeOffset.UtcNow)}");
            await Task.Delay(TimeSpan.FromSeconds(3));
        }

        // The schedule keeps firing: every pipeline records its ticks again (as runs, or as fires skipped while an older run is pending).
        var since = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(5);
        var firing = await Poll.UntilAsync(async () => await EachAsync(ticking, async p =>
            (await sandbox.RunsAsync(p.Name)).Count(r => r.ScheduledAt >= since) >= 2), TimeSpan.FromSeconds(30));

        // No run is left behind: every run older than a few seconds has finished, the slow one included.
        var settled = await Poll.UntilAsync(async () =>
        {
            var cutoff = DateTimeOffset.UtcNow - TimeSpan.FromSeconds(10);
            return await EachAsync(ticking.Append(slow), async p =>
                !(await sandbox.RunsAsync(p.Name)).Any(r => r.CreatedAt < cutoff && !Finished.Contains(r.Status)));
        }, RecoveryBound, TimeSpan.FromSeconds(1));

        // And the pipelines succeed again on their ticks.
        var back = DateTimeOffset.UtcNow;
        var succeeding = await Poll.UntilAsync(async () => await EachAsync(ticking, async p =>
            (await sandbox.RunsAsync(p.Name)).Any(r => r.ScheduledAt >= back && r.Status == "succeeded")), TimeSpan.FromSeconds(30));

        var states = await sandbox.TextRowsAsync("SELECT trigger_name || ' ' || trigger_state FROM qrtz_triggers ORDER BY 1");
        var reset = serve.Process.StderrLines("was in Quartz's ERROR state");
        var runsByPipeline = new Dictionary<string, IReadOnlyList<RunRow>>();
        foreach (var pipeline in ticking.Append(slow))
        {
            runsByPipeline[pipeline.Name] = await sandbox.RunsAsync(pipeline.Name);
        }

        var slowRow = runsByPipeline[slow.Name].Single(r => r.RunId == slowRun);
        var versions = await sandbox.ModelVersionsAsync(slow.Name);
        var artifacts = new List<string>();
        foreach (var pipeline in ticking.Append(slow))
        {
            artifacts.AddRange(await sandbox.ArtifactPathsAsync(pipeline.Name));
        }

        var stored = new HashSet<string>(StringComparer.Ordinal);
        foreach (var artifact in artifacts.Where(a => a is not null))
        {
            if (await sandbox.ArtifactExistsAsync(artifact))
            {
                stored.Add(artifact);
            }
        }

        TestContext.Out.WriteLine($"restarts {string.Join(", ", restarts)}; triggers {string.Join(", ", states)}; ERROR resets logged: {reset.Count}");
        var trouble = serve.Process.StderrLines(" ERR] ").Concat(serve.Process.StderrLines(" WRN] ")).Where(l => !l.Contains("concurrency: skip", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        TestContext.Out.WriteLine($"serve's warnings and errors:{Environment.NewLine}{string.Join(Environment.NewLine, trouble)}");
        foreach (var (name, runs) in runsByPipeline)
        {
            TestContext.Out.WriteLine($"{name}:");
            foreach (var run in runs)
            {
                TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {run}"));
            }
        }

        // Everything serve said about a run that has not finished (information lines included), to tell why it waits.
        foreach (var run in runsByPipeline.Values.SelectMany(r => r).Where(r => !Finished.Contains(r.Status)))
        {
            TestContext.Out.WriteLine($"serve on unfinished run {run.RunId}:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", serve.Process.StderrLines(run.RunId))}");
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(firing, Is.True, "after the restarts every cron pipeline fires again (two ticks recorded each)");
            Assert.That(settled, Is.True, $"no run is stuck: within {RecoveryBound.TotalMinutes:0} min each one older than 10 s has finished");
            Assert.That(succeeding, Is.True, "then every cron pipeline succeeds again on its ticks");
            Assert.That(states, Has.Count.EqualTo(ticking.Count), "Quartz holds one trigger per cron pipeline");
            Assert.That(states, Has.None.Contains(" ERROR").And.None.Contains(" PAUSED"), "no trigger is left in ERROR (or paused)");
            foreach (var (name, runs) in runsByPipeline)
            {
                Assert.That(runs.Where(r => r.ScheduledAt is not null).Select(r => r.ScheduledAt), Is.Unique, $"{name}: no tick made two runs");
            }

            Assert.That(slowRow.Status, Is.AnyOf("succeeded", "failed"), "the run cut by the restarts ends, one way or the other");
            Assert.That(versions.Count(v => v.GetProperty("runId").GetString() == slowRun), Is.EqualTo(slowRow.Status == "succeeded" ? 1 : 0),
                "a succeeded run registered exactly one version; a failed one none");
            Assert.That(artifacts, Is.Not.Empty.And.All.Matches<string>(a => stored.Contains(a!)),
                "every registered version has its model file");
        }
    }

    private static async Task<bool> EachRanAsync(ClusterSandbox sandbox, IEnumerable<ChurnPipeline> pipelines) =>
        await EachAsync(pipelines, async p => (await sandbox.RunsAsync(p.Name)).Any(r => r.Status == "succeeded"));

    private static async Task<bool> EachAsync(IEnumerable<ChurnPipeline> pipelines, Func<ChurnPipeline, Task<bool>> condition)
    {
        foreach (var pipeline in pipelines)
        {
            if (!await condition(pipeline))
            {
                return false;
            }
        }

        return true;
    }
}
