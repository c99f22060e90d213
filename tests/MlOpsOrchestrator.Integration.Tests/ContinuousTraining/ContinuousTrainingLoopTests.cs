using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Integration.Tests.ContinuousTraining;

/// <summary>
/// The continuous-training demo (<c>samples/continuous-training</c>) end to end, as its walkthrough runs it, on
/// PostgreSQL: a baseline <c>mlops run</c>, then a real <c>mlops serve</c> keeps the sample's seconds-scale crons while
/// the test feeds rows with <c>mlops feed</c> (in this process), first normal ones, then rows past the drift point
/// (1 March 2025: spring starts and a new e-bike fleet changes how demand reacts to cold and rain).
/// <para>
/// Rows are fed one tick (one day, 24 rows) at a time, only while no run is active and when the next fire is the
/// incremental cron's (a few seconds away), so each tick is consumed by an incremental run before a monitor judges a
/// window holding it, and which run consumes which rows is known exactly; the data is deterministic too. Scheduling
/// jitter is absorbed by polling with generous timeouts, never by looser outcomes.
/// </para>
/// </summary>
[Category("continuous-training")]
public sealed class ContinuousTrainingLoopTests
{
    private const string Pipeline = DemoSandbox.Pipeline;
    private const string DriftAt = "2025-03-01T00:00:00Z";
    private const int RowsPerTick = 24;
    private const int NormalTicks = 2;
    private const int MaxDriftTicks = 5;

    private static readonly DateTimeOffset DriftStart = DateTimeOffset.Parse(DriftAt, CultureInfo.InvariantCulture);

    /// <summary>Long enough for a skipped fire plus the next one (the incremental cron fires every 10 s).</summary>
    private static readonly TimeSpan ConsumedWithin = TimeSpan.FromSeconds(45);

    private DemoSandbox? _sandbox;

    [TearDown]
    public void RemoveSandbox()
    {
        _sandbox?.Dispose();
        _sandbox = null;
    }

    /// <summary>
    /// The acceptance of the demo: incremental runs consume only the rows appended since the previous run (watermark in
    /// <c>mlops show</c> and in the API's run), monitoring says <c>ok</c> until the drift and detects it within two
    /// monitor runs, the <c>on: drift</c> trigger starts a retrain that succeeds and deploys a new version, the
    /// monitored rmse after it is lower than before it, and every run is tagged level 4.
    /// </summary>
    [Test]
    public async Task Serve_LiveFeedWithDrift_IncrementalRunsThenDetectionRetrainAndRecovery()
    {
        var clock = Stopwatch.StartNew();
        var server = await PostgresTestEnvironment.RequireAsync();
        var postgres = await server.CreateDatabaseAsync("continuous_training");
        var sandbox = _sandbox = DemoSandbox.Create();
        Assert.That(File.ReadAllText(sandbox.PipelineFile), Does.Contain("cron: \"0/10 * * * * ?\"").And.Contain("cron: \"7/15 * * * * ?\""),
            "the test feeds between the sample's fire times: incremental every 10 s from second 0, watch every 15 s from second 7");
        string[] storage = ["--postgres", postgres, "--home", sandbox.Home, "--data-root", sandbox.Root];
        var problems = new List<string>();
        var timeline = new List<string>();
        void Note(string line) => timeline.Add($"{clock.Elapsed.TotalSeconds,6:0.0}s {line}");

        // The baseline, as the walkthrough starts: one full run by hand, before the service.
        var baseline = await DemoSandbox.MlopsAsync(["run", sandbox.PipelineFile, "--json", .. storage]);
        Assert.That(baseline.ExitCode, Is.EqualTo(0), $"the baseline run succeeds: {baseline}");
        var baselineRun = RunInfo.Parse(JsonNode.Parse(baseline.Stdout)!);
        var initialNewest = sandbox.Timestamps()[^1];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(baselineRun.Level, Is.EqualTo(4), "the sample is a level-4 pipeline");
            Assert.That(baselineRun.Succeeded("deploy", "model_version"), Is.EqualTo("1"), $"the baseline deploys version 1: {baselineRun}");
            Assert.That(baselineRun.Watermark, Is.EqualTo(initialNewest), $"the baseline consumed the whole file: {baselineRun}");
            Assert.That(baselineRun.Succeeded("monitor", "verdict"), Is.EqualTo("ok"), $"nothing has drifted in the initial data: {baselineRun}");
        }

        Note($"baseline {baselineRun}");

        await using var serve = await ServeProcess.StartAsync(sandbox.Root, sandbox.Pipelines, sandbox.Home, postgres);
        var history = new RunHistory(serve, Pipeline);
        Note("serve started");
        try
        {
            // Normal rows: each tick is consumed by the next incremental run, exactly, then judged by the next monitor.
            for (var i = 0; i < NormalTicks; i++)
            {
                var tick = await FeedOneTickAsync(sandbox, history);
                Note($"fed {tick}");
                var consumer = await ConsumerAsync(history, tick);
                Note($"consumed by {consumer}");
                if (consumer.Trigger == "incremental")
                {
                    await CheckConsumptionAsync(consumer, tick, history, storage, problems);
                }

                Note($"judged by {await NextWatchAsync(history, consumer)}");
            }

            // Drifted rows, one tick at a time, until a monitor after one of them has started a retrain and it has finished.
            DateTimeOffset? driftFedAt = null;
            for (var i = 0; i < MaxDriftTicks && !RetrainFinished(history, driftFedAt); i++)
            {
                var tick = await FeedOneTickAsync(sandbox, history);
                driftFedAt ??= tick.FedAt;
                Note($"fed {tick}");
                Assert.That(tick.First, Is.GreaterThanOrEqualTo(DriftStart), "the normal ticks end on the last day before the drift");
                var consumer = await ConsumerAsync(history, tick);
                Note($"consumed by {consumer}");
                if (consumer.Trigger == "incremental")
                {
                    await CheckConsumptionAsync(consumer, tick, history, storage, problems);
                }

                Note($"judged by {await NextWatchAsync(history, consumer)}");
            }

            // Let a retrain started by the last monitor finish, so it is judged with the rest.
            await history.WaitForAsync(runs => runs.All(r => r.Finished) ? runs[0] : null, TimeSpan.FromSeconds(60));
            var runs = await history.RefreshAsync();
            await CheckMonitoringAndRetrainAsync(serve, postgres, runs, driftFedAt!.Value, problems, Note);

            var notLevel4 = runs.Where(r => r.Level != 4).ToList();
            if (notLevel4.Count > 0)
            {
                problems.Add($"every run is tagged level 4, but: {string.Join("; ", notLevel4)}");
            }

            Note($"done: {runs.Count} runs ({runs.Count(r => r.Status == "cancelled")} skipped fires)");
        }
        finally
        {
            await TestContext.Out.WriteLineAsync($"timeline:\n{string.Join("\n", timeline)}\nruns:\n{history.Describe()}");
        }

        if (problems.Count > 0)
        {
            Assert.Fail($"{problems.Count} problem(s):\n- {string.Join("\n- ", problems)}\n\nserve output (tail):\n{Tail(serve.Output, 60)}");
        }
    }

    /// <summary>
    /// Appends one day with <c>mlops feed</c> when no run is active and the next cron fire is the incremental one (so the
    /// new rows are consumed before a monitor judges the window they are in), at least 3 s away from any fire.
    /// </summary>
    private static async Task<Tick> FeedOneTickAsync(DemoSandbox sandbox, RunHistory history)
    {
        var quiet = await Poll(async () => IncrementalFiresNext(DateTimeOffset.UtcNow) && (await history.RefreshAsync()).All(r => r.Finished), TimeSpan.FromSeconds(90));
        Assert.That(quiet, Is.True, $"no quiet moment to feed in (a run stays active):\n{history.Describe()}");

        var before = sandbox.Timestamps().Count;
        var fed = await DemoSandbox.MlopsAsync("feed", "bike-rentals", "--out", sandbox.Data, "--ticks", "1", "--rows", $"{RowsPerTick}", "--drift-at", DriftAt);
        Assert.That(fed.ExitCode, Is.EqualTo(0), $"mlops feed: {fed}");
        var stamps = sandbox.Timestamps();
        Assert.That(stamps, Has.Count.EqualTo(before + RowsPerTick), $"one tick appends {RowsPerTick} rows");
        return new Tick(DateTimeOffset.UtcNow, stamps[before], stamps[^1], stamps[^1] >= DriftStart);
    }

    /// <summary>
    /// True 3 to 6 s after an <c>incremental</c> fire (every 10 s from second 0) when the next fire is also an
    /// <c>incremental</c> one, not a <c>watch</c> (every 15 s from second 7): seconds 13-16, 23-26, 43-46 and 53-56.
    /// </summary>
    private static bool IncrementalFiresNext(DateTimeOffset now)
    {
        var second = now.Second + (now.Millisecond / 1000.0);
        var nextIncremental = (Math.Floor(second / 10) + 1) * 10;
        var nextWatch = new[] { 7, 22, 37, 52, 67 }.First(w => w > second);
        return second % 10 is >= 3 and < 6.5 && nextIncremental < nextWatch;
    }

    /// <summary>The run that read the tick: the first incremental run (not a skipped fire) or retrain created after it was fed.</summary>
    private static async Task<RunInfo> ConsumerAsync(RunHistory history, Tick tick)
    {
        var consumer = await history.WaitForAsync(
            runs => runs.FirstOrDefault(r => r.CreatedAt > tick.FedAt && r.Finished
                && ((r.Trigger == "incremental" && r.Status != "cancelled") || r.Trigger == "on-drift")),
            ConsumedWithin);
        Assert.That(consumer, Is.Not.Null, $"a run consumed the rows of {tick} within {ConsumedWithin.TotalSeconds:0} s:\n{history.Describe()}");
        return consumer!;
    }

    /// <summary>
    /// An incremental run consumed exactly the tick fed before it: it succeeded (or a gate rejected its candidate), its data_prep read the rows appended
    /// since the previous run (the tick's 24 rows, no more, no less), its watermark is the tick's newest timestamp, and
    /// <c>mlops show</c> prints that watermark.
    /// </summary>
    private static async Task CheckConsumptionAsync(RunInfo run, Tick tick, RunHistory history, string[] storage, List<string> problems)
    {
        var rows = run.Step("prep")?.Output("rows");
        var watermark = run.Watermark;
        // A warm start on one day's rows may be judged worse than production on the same rows: the gate keeps production,
        // the run fails at evaluate and still consumes the day. Any other end is a problem.
        var rejected = run.Status == "failed" && run.Step("evaluate") is { Status: "failed" } evaluate && evaluate.Output("rejected") == "true"
            && run.Error?.Contains($"consumed but not deployed", StringComparison.Ordinal) == true;
        if (run.Status != "succeeded" && !rejected)
        {
            problems.Add($"incremental run after {tick} neither succeeded nor had its candidate rejected by a gate: {run}");
        }

        if (rows != $"{RowsPerTick}")
        {
            var previous = history.Runs.LastOrDefault(r => r.Status == "succeeded" && r.Watermark is not null && r.FinishedAt < run.StartedAt);
            problems.Add($"incremental run after {tick} read {rows ?? "no"} rows, not the {RowsPerTick} appended since the previous run "
                + $"(the last successful run {previous?.RunId} left the watermark at {previous?.Watermark:u}): {run}");
        }

        if (watermark != tick.Last)
        {
            problems.Add($"incremental run after {tick} has watermark {watermark?.ToString("u", CultureInfo.InvariantCulture) ?? "none"}, not {tick.Last:u}: {run}");
        }

        var show = await DemoSandbox.MlopsAsync(["show", run.RunId, .. storage]);
        var expected = $"watermark: {tick.Last.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}";
        if (show.ExitCode != 0 || !show.Stdout.Contains(expected, StringComparison.Ordinal))
        {
            problems.Add($"mlops show {run.RunId} does not print '{expected}': {show}");
        }
    }

    /// <summary>
    /// Monitoring says <c>ok</c> before the drift and <c>drift</c> or <c>performance</c> within two monitor runs after it;
    /// that monitor's retrain starts an <c>on-drift</c> run that succeeds and deploys a new version, and the rmse
    /// monitored on the new version is lower than the rmse that triggered the retrain.
    /// </summary>
    private static async Task CheckMonitoringAndRetrainAsync(
        ServeProcess serve, string postgres, IReadOnlyList<RunInfo> runs, DateTimeOffset driftFedAt, List<string> problems, Action<string> note)
    {
        var monitored = runs.Where(r => r.Step("monitor") is { Status: "succeeded" }).ToList();
        foreach (var run in monitored.Where(r => r.StartedAt < driftFedAt && r.Succeeded("monitor", "verdict") != "ok"))
        {
            problems.Add($"monitoring flags undrifted data (before the first drifted row was fed): {run}");
        }

        foreach (var run in runs.Where(r => r.Trigger == "on-drift" && r.CreatedAt < driftFedAt))
        {
            problems.Add($"a retrain started before the drift was fed: {run}");
        }

        var watches = monitored.Where(r => r.Trigger == "watch" && r.StartedAt > driftFedAt).ToList();
        var detection = watches.FindIndex(r => r.Succeeded("monitor", "verdict") is "drift" or "performance");
        note($"monitor runs after the drift: {string.Join(", ", watches.Select(w => $"{w.RunId} {w.Succeeded("monitor", "verdict")} rmse {w.Step("monitor")!.Metric("rmse"):0.00}"))}");
        if (detection is < 0 or > 1)
        {
            problems.Add(detection < 0
                ? $"no monitor run detected the drift ({watches.Count} monitor run(s) after it)"
                : $"the drift was detected by monitor run {detection + 1} after it, not within two: {string.Join("; ", watches.Take(detection + 1))}");
            if (detection < 0)
            {
                return;
            }
        }

        var detector = watches[detection];
        var startedRun = detector.Succeeded("retrain", "started_run");
        var retrain = runs.FirstOrDefault(r => r.RunId == startedRun);
        if (retrain is null)
        {
            problems.Add($"the detecting run's retrain step started no run: {detector}");
            return;
        }

        note($"retrain {retrain}");
        var watchedVersion = int.Parse(detector.Succeeded("monitor", "model_version")!, CultureInfo.InvariantCulture);
        var deployed = retrain.Succeeded("deploy", "model_version") is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : (int?)null;
        if (retrain.Trigger != "on-drift" || retrain.Status != "succeeded" || deployed is null || deployed <= watchedVersion)
        {
            problems.Add($"the retrain (trigger on-drift) succeeds and deploys a version newer than v{watchedVersion}, the one that drifted: {retrain}");
            return;
        }

        var model = await serve.GetJsonAsync($"/api/models/{Pipeline}");
        var moved = model["aliasHistory"]!.AsArray().Any(h => h!["alias"]!.GetValue<string>() == "production"
            && h["version"]!.GetValue<int>() == deployed && h["by"]!.GetValue<string>() == $"run {retrain.RunId}");
        if (!moved)
        {
            problems.Add($"the production alias was not moved to v{deployed} by run {retrain.RunId}: {model["aliasHistory"]!.ToJsonString()}");
        }

        // The monitored error: the monitor step's metric, and the same value in the monitoring store's metric.rmse series.
        var before = detector.Step("monitor")!.Metric("rmse");
        var after = retrain.Step("monitor") is { Status: "succeeded" } monitor && monitor.Output("model_version") == $"{deployed}" ? monitor.Metric("rmse") : null;
        note($"monitored rmse: {before:0.00} on v{watchedVersion} (detected) -> {after:0.00} on v{deployed} (after the retrain)");
        if (before is null || after is null || after >= before)
        {
            problems.Add($"the monitored rmse after the retrain ({after?.ToString("0.00", CultureInfo.InvariantCulture) ?? "not measured"} on v{deployed}) "
                + $"is lower than before it ({before?.ToString("0.00", CultureInfo.InvariantCulture) ?? "not measured"} on v{watchedVersion}): {retrain}");
            return;
        }

        foreach (var (run, value, version) in new[] { (detector, before.Value, watchedVersion), (retrain, after.Value, deployed.Value) })
        {
            var stored = await Sql.ScalarAsync<double>(postgres,
                "select coalesce((select value from mlops.evaluation_points where run_id = '" + run.RunId + "' and step_id = 'monitor' "
                + $"and series = 'metric.rmse' and model_version = {version} limit 1), 'NaN'::float8)");
            if (!(Math.Abs(stored - value) <= 1e-9))
            {
                problems.Add($"the monitoring store holds metric.rmse {stored} for run {run.RunId}, its monitor step {value}");
            }
        }
    }

    /// <summary>The first watch run (not a skipped fire) created after <paramref name="after"/> finished, once it and whatever it started have finished.</summary>
    private static async Task<RunInfo> NextWatchAsync(RunHistory history, RunInfo after)
    {
        var watch = await history.WaitForAsync(
            runs => runs.FirstOrDefault(r => r.Trigger == "watch" && r.Status != "cancelled" && r.CreatedAt > after.FinishedAt) is { Finished: true } found
                && runs.All(r => r.Finished) ? found : null,
            ConsumedWithin);
        Assert.That(watch, Is.Not.Null, $"a watch run after {after.RunId} finished within {ConsumedWithin.TotalSeconds:0} s:\n{history.Describe()}");
        return watch!;
    }

    private static bool RetrainFinished(RunHistory history, DateTimeOffset? driftFedAt) =>
        driftFedAt is { } fed && history.Runs.Any(r => r.Trigger == "on-drift" && r.CreatedAt > fed && r.Finished);

    private static async Task<bool> Poll(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(200);
        }

        return true;
    }

    private static string Tail(string text, int lines) => string.Join("\n", text.Split('\n').TakeLast(lines));

    /// <summary>One tick of the feeder: when it was written and the timestamps of its first and last row.</summary>
    private sealed record Tick(DateTimeOffset FedAt, DateTimeOffset First, DateTimeOffset Last, bool Drifted)
    {
        public override string ToString() =>
            $"tick {First:yyyy-MM-dd HH:mm} .. {Last:yyyy-MM-dd HH:mm}{(Drifted ? " (drifted)" : "")} at {FedAt:HH:mm:ss.fff}";
    }
}
