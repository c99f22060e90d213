using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using MlOpsOrchestrator.TestSupport;
using Npgsql;

namespace MlOpsOrchestrator.Bench;

/// <summary>
/// Fire-to-start latency with 1,500 pipelines scheduled on PostgreSQL: from a cron trigger's scheduled fire time to the
/// first step of its run starting, through real <c>mlops serve</c> and <c>mlops worker</c> processes (Quartz clustered
/// store → <c>RunStarter</c> → Hangfire queue → executor). Each pipeline fires once inside a one-minute window, 25 fires
/// per whole second. 100 more pipelines fire a few seconds before the window, so the measured fires meet warm processes
/// (their own latency, a fresh serve's first fires, is reported in the notes). Baseline, in the same run on the same
/// PostgreSQL server: raw Quartz with the same store settings and the same triggers, whose job only notes when it ran.
/// </summary>
public sealed partial class FireToStartBenchmark : IBenchmark
{
    private const int Pipelines = 1500;
    private const int WindowSeconds = 60;
    private const int WarmUps = 100;
    private const int WarmUpSeconds = 5;

    /// <summary>The warm-up fires end this long before the window starts, so their runs are done by then.</summary>
    private static readonly TimeSpan WarmUpGap = TimeSpan.FromSeconds(4);

    /// <summary>After the last fire, how long runs may take to start before they count as lost.</summary>
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(15);

    /// <summary>From launching serve to the window: start-up, loading 1,600 files, scheduling their triggers, warm-up.</summary>
    private static readonly TimeSpan ProductLead = TimeSpan.FromSeconds(32);

    private static readonly TimeSpan RawLead = TimeSpan.FromSeconds(20);

    public string Name => "fire-to-start";

    public string Description => $"Quartz fire → first step started, {Pipelines:N0} pipelines on PostgreSQL (serve + 1 worker) vs raw Quartz clustered fire delay";

    public async Task<IReadOnlyList<Figure>> RunAsync(CancellationToken ct)
    {
        return await BenchRoot.UseAsync("mlops-bench-fire-to-start-", async root =>
        {
            await using var cluster = await PostgresCluster.StartAsync(ct);
            return await MeasureAsync(root, cluster, ct);
        });
    }

    private static async Task<IReadOnlyList<Figure>> MeasureAsync(string root, PostgresCluster cluster, CancellationToken ct)
    {
        var background = await MachineCpu.SampleAsync(TimeSpan.FromSeconds(2), ct);
        Console.Error.WriteLine($"  machine before the benchmark: {background}");
        var clock = Stopwatch.StartNew();
        var server = await ServerDiagnostics.EnableAsync(cluster.ConnectionString, ct);

        // Baseline first: raw Quartz on a database of its own.
        var rawDatabase = await cluster.CreateDatabaseAsync("fts_raw", ct);
        var rawStart = WholeSecond(DateTimeOffset.UtcNow + RawLead);
        var rawPlan = Plan(rawStart);
        var rawMachine = MachineCpu.Read();
        var raw = await RawQuartzFires.RunAsync(rawDatabase, [.. rawPlan.Select(p => (p.Name, p.Cron))], rawStart.AddSeconds(WindowSeconds) + TimeSpan.FromSeconds(5), ct);
        var rawBusy = MachineCpu.Busy(rawMachine, MachineCpu.Read());
        var measuredNames = rawPlan.Where(p => !p.WarmUp).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var rawFires = raw.Fires.Where(f => measuredNames.Contains(f.Trigger)).ToList();
        var rawLatency = new Latencies(rawFires.Select(f => (f.Executed - f.Scheduled).TotalMilliseconds));
        var rawFired = rawFires.Select(f => f.Trigger).Distinct(StringComparer.Ordinal).Count();
        var rawDuplicates = rawFires.Count - rawFired;
        var rawLost = Pipelines - rawFired;
        var rawServer = server.Between(rawStart, rawStart.AddSeconds(WindowSeconds + 5));
        Console.Error.WriteLine(Invariant($"  raw Quartz: scheduled {rawPlan.Count} triggers in {raw.SchedulingTime.TotalSeconds:0.0} s; {rawFires.Count} measured fires, lost {rawLost}, duplicated {rawDuplicates}; delay {rawLatency.Describe()}; machine {rawBusy}; PostgreSQL {rawServer} ({Elapsed(clock)})"));

        // The product: serve (scheduler + executor) and one worker on another database of the same server.
        var database = await cluster.CreateDatabaseAsync("fts_ours", ct);
        TinyPipeline.WriteData(root);
        var folder = Directory.CreateDirectory(Path.Combine(root, "pipelines")).FullName;
        var home = Path.Combine(root, "home");
        var start = WholeSecond(DateTimeOffset.UtcNow + ProductLead);
        var plan = Plan(start);
        foreach (var (name, cron, _, _) in plan)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, name + ".yaml"), TinyPipeline.Yaml(name, cron), ct);
        }

        string[] state = ["--postgres", database, "--home", home, "--data-root", root];
        var launched = clock.Elapsed;
        await using var serve = MlopsChild.Start("serve", root, ["serve", "--pipelines", folder, "--urls", "http://127.0.0.1:0", .. state]);
        await serve.WaitForStdoutAsync("stop with", TimeSpan.FromSeconds(120));
        var serveReady = clock.Elapsed - launched;
        await using var worker = MlopsChild.Start("worker", root, ["worker", .. state]);
        await worker.WaitForStdoutAsync("stop with", TimeSpan.FromSeconds(60));
        var scheduledAt = await WaitForTriggersAsync(database, plan.Count, start + TimeSpan.FromSeconds(WindowSeconds), ct);
        Console.Error.WriteLine(Invariant($"  serve ready {serveReady.TotalSeconds:0.0} s after launch; all {plan.Count} triggers in Quartz {(scheduledAt is { } at ? $"{(start - at).TotalSeconds:0.0} s before the window" : "NOT before the window ended")}"));

        // Idle: everything scheduled, nothing due yet (until the warm-up). What the processes use here they use all day.
        var idleFrom = (At: DateTimeOffset.UtcNow, Serve: serve.CpuTime(), Worker: worker.CpuTime(), Machine: MachineCpu.Read());
        var warmUpStart = plan.Where(p => p.WarmUp).Min(p => p.FireTime);
        await DelayUntilAsync(warmUpStart, ct);
        var idleSeconds = (DateTimeOffset.UtcNow - idleFrom.At).TotalSeconds;
        var idle = idleSeconds < 1 ? "not measured (scheduling ended too late)" : Invariant(
            $"serve {Rate(serve.CpuTime() - idleFrom.Serve, idleSeconds)}, worker {Rate(worker.CpuTime() - idleFrom.Worker, idleSeconds)} over {idleSeconds:0} s (machine {MachineCpu.Busy(idleFrom.Machine, MachineCpu.Read())})");
        Console.Error.WriteLine($"  idle with {plan.Count} pipelines scheduled: {idle}");

        await DelayUntilAsync(start, ct);
        var cpuBefore = (Serve: serve.CpuTime(), Worker: worker.CpuTime(), Machine: MachineCpu.Read());
        var end = start.AddSeconds(WindowSeconds);
        var rows = await WaitForRunsAsync(database, Pipelines, end + Drain, ct);
        var cpuAfter = (Serve: serve.CpuTime(), Worker: worker.CpuTime(), Machine: MachineCpu.Read());
        var busy = MachineCpu.Busy(cpuBefore.Machine, cpuAfter.Machine);
        var again = serve.StderrLines("was already launched for this fire").Count;
        var oursServer = server.Between(start, end + Drain);

        var due = plan.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var warmUp = rows.Where(r => due.TryGetValue(r.Pipeline, out var p) && p.WarmUp && p.FireTime == r.Scheduled && r.StepStarted is not null).ToList();
        var fired = rows.Where(r => due.TryGetValue(r.Pipeline, out var p) && !p.WarmUp && p.FireTime == r.Scheduled).ToList();
        var started = fired.Where(r => r.StepStarted is not null).ToList();
        var latency = new Latencies(started.Select(r => (r.StepStarted!.Value - r.Scheduled).TotalMilliseconds));
        var cold = new Latencies(warmUp.Select(r => (r.StepStarted!.Value - r.Scheduled).TotalMilliseconds));
        var created = new Latencies(fired.Select(r => (r.Created - r.Scheduled).TotalMilliseconds));
        var queued = new Latencies(started.Where(r => r.RunStarted is not null).Select(r => (r.RunStarted!.Value - r.Created).TotalMilliseconds));
        var lost = Pipelines - started.Count;
        var unplanned = rows.Count(r => !due.TryGetValue(r.Pipeline, out var p) || p.FireTime != r.Scheduled);
        var duplicated = again + fired.Count(r => r.Attempts > 1) + unplanned;
        var skipped = fired.Count(r => r.Status == "cancelled");
        var window = WindowSeconds + Drain.TotalSeconds;
        Console.Error.WriteLine(Invariant($"  ours: {fired.Count} measured runs, {started.Count} started, lost {lost}, duplicated {duplicated} (re-delivered {again}, unplanned {unplanned}), skipped {skipped}; fire→first step {latency.Describe()}; fire→run created {created.Describe()}; created→run started {queued.Describe()} ({Elapsed(clock)})"));
        Console.Error.WriteLine(Invariant($"  warm-up (a fresh serve's first {warmUp.Count} fires): fire→first step {cold.Describe()}"));
        Console.Error.WriteLine(Invariant($"  CPU over the window + drain ({window:0} s): serve {Describe(cpuAfter.Serve - cpuBefore.Serve)}, worker {Describe(cpuAfter.Worker - cpuBefore.Worker)}, machine {busy}; PostgreSQL {oursServer}"));
        var executed = new Latencies(fired.Where(r => r.RunStarted is not null && r.Finished is not null).Select(r => (r.Finished!.Value - r.RunStarted!.Value).TotalMilliseconds));
        var stepTime = new Latencies(fired.Where(r => r.StepStarted is not null && r.StepFinished is not null).Select(r => (r.StepFinished!.Value - r.StepStarted!.Value).TotalMilliseconds));
        Console.Error.WriteLine(Invariant($"  run started→finished {executed.Describe()}; data_prep step {stepTime.Describe()}"));
        foreach (var second in fired.GroupBy(r => r.Scheduled).OrderBy(g => g.Key).Where((_, i) => i % 10 == 0))
        {
            var l = new Latencies(second.Where(r => r.StepStarted is not null).Select(r => (r.StepStarted!.Value - r.Scheduled).TotalMilliseconds));
            var c = new Latencies(second.Select(r => (r.Created - r.Scheduled).TotalMilliseconds));
            Console.Error.WriteLine(Invariant($"    fires at {second.Key:HH:mm:ss}: {second.Count()} runs; fire→created {c.Describe()}; fire→first step {l.Describe()}"));
        }

        // Which process executed each run: the worker's JSON log names every run it executed. Those runs crossed
        // processes through the queue, so their pick-up shows whether Hangfire's 15 s default poll was dealt with.
        var byWorker = RunsInLogs(Path.Combine(home, "logs"), "worker-");
        var viaWorker = new Latencies(started.Where(r => byWorker.Contains(r.RunId)).Select(r => (r.StepStarted!.Value - r.Scheduled).TotalMilliseconds));
        var viaServe = new Latencies(started.Where(r => !byWorker.Contains(r.RunId)).Select(r => (r.StepStarted!.Value - r.Scheduled).TotalMilliseconds));
        Console.Error.WriteLine(Invariant($"  executed by the worker: {viaWorker.Count} ({viaWorker.Describe()}); by serve: {viaServe.Count} ({viaServe.Describe()})"));

        var notes = Invariant($"{Pipelines:N0} one-step pipelines (data_prep over a 40-row CSV, concurrency: skip), each a daily cron firing once in a {WindowSeconds} s window, {Pipelines / WindowSeconds} per whole second, ")
            + Invariant($"plus {WarmUps} warm-up pipelines firing {WarmUpSeconds} s before (not measured; a fresh serve's first fires: {cold.Describe()}); ")
            + Invariant($"`mlops serve` + one `mlops worker` (2 executors each) on a throwaway PostgreSQL 15 (fsync off); scheduled time = the run's idempotency key, start = its first step's started_at; ")
            + Invariant($"{started.Count}/{Pipelines} started, {lost} lost, {duplicated} duplicated; fire→run created {created.Describe()}, created→run started {queued.Describe()}; ")
            + Invariant($"{viaWorker.Count} runs crossed to the worker through the queue ({viaWorker.Describe()}), {viaServe.Count} ran in serve ({viaServe.Describe()}); ")
            + Invariant($"idle with {plan.Count} pipelines scheduled: {idle}; machine {background} before the benchmark, {busy} during the window; PostgreSQL during the window: {oursServer}; ")
            + Invariant($"baseline: raw Quartz 4.7.3 clustered store, the product's settings, the same {plan.Count} cron triggers in its own database, job start − scheduled fire time ({rawLatency.Describe()}, {rawLost} lost, {rawDuplicates} duplicated; machine {rawBusy})");
        return
        [
            new Figure("fire-to-start.p99", $"Fire-to-start latency p99, {Pipelines:N0} pipelines scheduled (vs raw Quartz fire delay)",
                latency.P99, rawLatency.P99, "ms", "p99 ≤ 1 s", latency.P99 <= 1000 && latency.Count > 0, notes),
            new Figure("fire-to-start.p50", $"Fire-to-start latency p50, {Pipelines:N0} pipelines scheduled (vs raw Quartz fire delay)",
                latency.P50, rawLatency.P50, "ms", "≤ 1 s (bounded by the p99 goal)", latency.P50 <= 1000 && latency.Count > 0, notes),
            new Figure("fire-to-start.lost", $"Fires lost or duplicated, {Pipelines:N0} pipelines (vs raw Quartz)",
                lost + duplicated, rawLost + rawDuplicates, "fires", "0", lost + duplicated == 0,
                Invariant($"lost: a fire without a run whose first step started within {Drain.TotalSeconds:0} s of the window's end; duplicated: a fire delivered twice, a run for an unplanned time, or a step attempted twice")),
        ];
    }

    /// <summary>
    /// Pipeline i fires at <paramref name="start"/> + ⌊i · 60 / 1,500⌋ s: 25 fires on each whole second. The warm-up
    /// pipelines fire 20 a second in the five seconds that end <see cref="WarmUpGap"/> before <paramref name="start"/>.
    /// </summary>
    private static List<(string Name, string Cron, DateTimeOffset FireTime, bool WarmUp)> Plan(DateTimeOffset start)
    {
        var warmUpStart = start - WarmUpGap - TimeSpan.FromSeconds(WarmUpSeconds);
        var warmUps = Enumerable.Range(0, WarmUps).Select(i => ($"warm-{i:000}", warmUpStart.AddSeconds(i * WarmUpSeconds / WarmUps), true));
        var measured = Enumerable.Range(0, Pipelines).Select(i => ($"fts-{i:0000}", start.AddSeconds(i * WindowSeconds / Pipelines), false));
        return [.. warmUps.Concat(measured).Select(p => (p.Item1, Invariant($"{p.Item2.Second} {p.Item2.Minute} {p.Item2.Hour} * * ?"), p.Item2, p.Item3))];
    }

    private static async Task DelayUntilAsync(DateTimeOffset at, CancellationToken ct)
    {
        var wait = at - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, ct);
        }
    }

    /// <summary>Polls until Quartz holds a trigger for every pipeline; null if that did not happen before <paramref name="giveUp"/>.</summary>
    private static async Task<DateTimeOffset?> WaitForTriggersAsync(string database, int count, DateTimeOffset giveUp, CancellationToken ct)
    {
        while (DateTimeOffset.UtcNow < giveUp)
        {
            if (await BenchDatabase.ScalarAsync(database, "SELECT count(*) FROM qrtz_triggers WHERE trigger_group = 'mlops'", ct) >= count)
            {
                return DateTimeOffset.UtcNow;
            }

            await Task.Delay(250, ct);
        }

        return null;
    }

    private sealed record RunRow(
        string RunId, string Pipeline, DateTimeOffset Scheduled, DateTimeOffset Created, DateTimeOffset? RunStarted, DateTimeOffset? StepStarted, int Attempts, string Status,
        DateTimeOffset? StepFinished, DateTimeOffset? Finished);

    /// <summary>Waits until <paramref name="count"/> runs have a started first step, or <paramref name="deadline"/>; returns every cron run.</summary>
    private static async Task<List<RunRow>> WaitForRunsAsync(string database, int count, DateTimeOffset deadline, CancellationToken ct)
    {
        while (DateTimeOffset.UtcNow < deadline)
        {
            var startedSteps = await BenchDatabase.ScalarAsync(database,
                "SELECT count(*) FROM mlops.steps s JOIN mlops.runs r ON r.run_id = s.run_id WHERE s.ordinal = 0 AND s.started_at IS NOT NULL AND r.pipeline LIKE 'fts-%'", ct);
            if (startedSteps >= count)
            {
                break;
            }

            await Task.Delay(500, ct);
        }

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            "SELECT r.run_id, r.pipeline, r.idempotency_key, r.created_at, r.started_at, s.started_at, s.attempts, r.status, s.finished_at, r.finished_at " +
            "FROM mlops.runs r JOIN mlops.steps s ON s.run_id = r.run_id AND s.ordinal = 0 WHERE r.trigger_name = 'tick'", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<RunRow>();
        while (await reader.ReadAsync(ct))
        {
            var key = reader.GetString(2);
            var scheduled = DateTimeOffset.Parse(key[(key.LastIndexOf('|') + 1)..], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
            rows.Add(new RunRow(
                reader.GetString(0),
                reader.GetString(1),
                scheduled,
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                reader.GetInt32(6),
                reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
                reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9)));
        }

        return rows;
    }

    /// <summary>The run ids named in the JSON log files of one role (<c>worker-HOST-DATE.json</c>).</summary>
    private static HashSet<string> RunsInLogs(string logs, string prefix)
    {
        var runs = new HashSet<string>(StringComparer.Ordinal);
        if (!Directory.Exists(logs))
        {
            return runs;
        }

        foreach (var file in Directory.GetFiles(logs, prefix + "*.json"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                if (RunIdProperty().Match(line) is { Success: true } match)
                {
                    runs.Add(match.Groups[1].Value);
                }
            }
        }

        return runs;
    }

    [GeneratedRegex("\"RunId\":\"([^\"]+)\"")]
    private static partial Regex RunIdProperty();

    private static DateTimeOffset WholeSecond(DateTimeOffset t) => new(t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second, TimeSpan.Zero);

    private static string Rate(TimeSpan? cpu, double seconds) => cpu is { } c ? Invariant($"{c.TotalSeconds / seconds:P0} of a core") : "?";

    private static string Describe(TimeSpan? cpu) => cpu is { } c ? Invariant($"{c.TotalSeconds:0.0} s") : "?";

    private static string Elapsed(Stopwatch clock) => Invariant($"at {clock.Elapsed.TotalSeconds:0} s");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
