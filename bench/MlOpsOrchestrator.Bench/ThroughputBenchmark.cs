using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.ML.Trainers;
using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Scheduling.Cron;
using MlOpsOrchestrator.Scheduling.Hangfire;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Storage;
using MlOpsOrchestrator.TestSupport;
using Npgsql;

namespace MlOpsOrchestrator.Bench;

/// <summary>
/// Sustained runs per second through Hangfire on PostgreSQL with 1 and 2 <c>mlops worker</c> processes: the queue is
/// filled with runs of the smallest real pipeline (started through <c>RunStarter</c>, as the API and the scheduler
/// start them), then the workers drain it. Baseline, in the same run on the same PostgreSQL server: plain
/// Hangfire.PostgreSql with the product's storage options draining empty jobs with the same number of workers.
/// Every run must execute exactly once.
/// </summary>
public sealed class ThroughputBenchmark : IBenchmark
{
    private const string Pipeline = "tiny";
    private const int Runs = 1000;
    private const int RawJobs = 2500;

    /// <summary>Concurrent callers filling the queue (like API clients).</summary>
    private const int Clients = 4;

    /// <summary>Executors per process: the product's default, one per core.</summary>
    private static readonly int WorkersPerProcess = Math.Max(1, Environment.ProcessorCount);

    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(90);

    public string Name => "throughput";

    public string Description => "tiny-pipeline runs per second drained by 1 and 2 `mlops worker` processes vs raw Hangfire.PostgreSql empty jobs";

    public async Task<IReadOnlyList<Figure>> RunAsync(CancellationToken ct)
    {
        return await BenchRoot.UseAsync("mlops-bench-throughput-", async root =>
        {
            await using var cluster = await PostgresCluster.StartAsync(ct);
            return await MeasureAsync(root, cluster, ct);
        });
    }

    private static async Task<IReadOnlyList<Figure>> MeasureAsync(string root, PostgresCluster cluster, CancellationToken ct)
    {
        TinyPipeline.WriteData(root);
        var folder = Directory.CreateDirectory(Path.Combine(root, "pipelines")).FullName;
        var file = Path.Combine(folder, Pipeline + ".yaml");
        var yaml = TinyPipeline.Yaml(Pipeline, cron: null);
        await File.WriteAllTextAsync(file, yaml, ct);
        var loader = new PipelineLoader(new PipelineLoaderOptions { DataRoot = root }, MlNetTrainerCatalog.Default, QuartzCronEvaluator.Instance);
        var definition = loader.Parse(yaml, file, Pipeline + ".yaml").Definition
            ?? throw new InvalidOperationException("the benchmark pipeline does not load");

        var background = await MachineCpu.SampleAsync(TimeSpan.FromSeconds(2), ct);
        Console.Error.WriteLine($"  machine before the benchmark: {background}");
        var clock = Stopwatch.StartNew();
        var measured = new List<(int Processes, Drain Raw, Drain Ours)>();
        foreach (var processes in new[] { 1, 2 })
        {
            // Alternating raw and ours on fresh databases of the same server, so drift on the machine hits both.
            var rawDatabase = await cluster.CreateDatabaseAsync($"tp_raw_{processes}", ct);
            var raw = await RawHangfireDrain.RunAsync(rawDatabase, RawJobs, processes, WorkersPerProcess, Clients, DrainTimeout, ct);
            var rawDrain = await ReadRawAsync(rawDatabase, raw, ct);
            Console.Error.WriteLine(Invariant($"  raw Hangfire, {processes} server(s) × {WorkersPerProcess} workers: {rawDrain.Describe()}; enqueue {raw.EnqueuePerSecond:0}/s ({Elapsed(clock)})"));

            var database = await cluster.CreateDatabaseAsync($"tp_ours_{processes}", ct);
            var ours = await DrainOursAsync(root, database, definition, yaml, processes, ct);
            Console.Error.WriteLine(Invariant($"  ours, {processes} worker process(es) × {WorkersPerProcess} executors: {ours.Describe()} ({Elapsed(clock)})"));
            measured.Add((processes, rawDrain, ours));
        }

        var figures = new List<Figure>();
        foreach (var (processes, raw, ours) in measured)
        {
            var executors = processes * WorkersPerProcess;
            var stepMs = ours.MeanStepMs ?? 0;
            var perRun = (executors / ours.PerSecond) - (stepMs / 1000);
            var corrected = perRun > 0 ? executors / perRun : double.PositiveInfinity;
            var workers = $"{processes} worker process{(processes == 1 ? "" : "es")}";
            var setup = Invariant($"{Runs:N0} runs of a one-step pipeline (data_prep over a 40-row CSV; the product has no no-op step kind) queued through RunStarter by {Clients} concurrent callers, ")
                + Invariant($"then drained by {processes} `mlops worker` process(es) × {WorkersPerProcess} executors; rate over the middle 80 % of completions; machine {background} before the benchmark; ");
            var baseline = Invariant($"baseline: {RawJobs:N0} empty jobs, the product's storage options (50 ms poll), {processes} Hangfire server(s) × {WorkersPerProcess} workers hosted in the benchmark process, ")
                + Invariant($"{raw.TransactionsPerItem:0.0} PostgreSQL transactions per job, lost {raw.Lost}, duplicated {raw.Duplicated}, machine {raw.Busy}");
            figures.Add(new Figure(
                $"throughput.workers-{processes}",
                $"Sustained tiny-pipeline runs/s, {workers} (vs raw Hangfire empty jobs)",
                ours.PerSecond, raw.PerSecond, "runs/s", "≥ 0.8 × raw where the run's own work is negligible",
                ours.PerSecond >= 0.8 * raw.PerSecond,
                setup
                + Invariant($"the step's own time, mean {stepMs:0.0} ms (p50 {ours.StepP50Ms:0.0} ms), is not negligible next to a raw job ({1000.0 * executors / raw.PerSecond:0.0} ms of a worker each); ")
                + Invariant($"{ours.TransactionsPerItem:0.0} PostgreSQL transactions and {ours.CpuMsPerItem:0.0} ms of worker CPU (start-up included) per run; ")
                + Invariant($"lost {ours.Lost}, duplicated {ours.Duplicated}; queue filled at {ours.EnqueuePerSecond:0} runs/s (raw: {raw.EnqueuePerSecond:0} jobs/s); ")
                + (ours.LaunchFailures > 0 ? Invariant($"{ours.LaunchFailures} of the launches failed ({ours.LaunchError}) and were retried; ") : "")
                + baseline));
            figures.Add(new Figure(
                $"throughput.workers-{processes}.step-corrected",
                $"Same, corrected for the step's own time, {workers} (vs raw Hangfire empty jobs)",
                corrected, raw.PerSecond, "runs/s", "≥ 0.8 × raw",
                corrected >= 0.8 * raw.PerSecond,
                Invariant($"executors ÷ (executors ÷ measured rate − mean step time) = {executors} ÷ ({executors} ÷ {ours.PerSecond:0.0} − {stepMs / 1000:0.0000} s): the rate if the data_prep step took no time, ")
                + "i.e. the orchestration alone (launch record, claim, state and step updates, watermark, logs, Hangfire job)"));
        }

        var lost = measured.Sum(m => m.Ours.Lost + m.Ours.Duplicated);
        var rawLost = measured.Sum(m => m.Raw.Lost + m.Raw.Duplicated);
        figures.Add(new Figure(
            "throughput.lost",
            "Runs lost or duplicated while draining (vs raw Hangfire jobs)",
            lost, rawLost, "runs", "0", lost == 0,
            Invariant($"over {measured.Count * Runs:N0} runs ({measured.Count * RawJobs:N0} raw jobs): lost = not succeeded within {DrainTimeout.TotalSeconds:0} s; duplicated = a run record too many or a step attempted twice (raw: a job processed twice); ")
            + Invariant($"Hangfire re-deliveries of our jobs: {measured.Sum(m => m.Ours.Redelivered)}")));
        return figures;
    }

    /// <summary>What one drain measured: the steady rate, what went missing or ran twice, and (ours) the step's own time.</summary>
    private sealed record Drain(int Items, double PerSecond, double WallSeconds, int Lost, int Duplicated, double EnqueuePerSecond, double? CpuMsPerItem, string Busy)
    {
        /// <summary>Jobs Hangfire handed to a worker more than once (ours: the run itself still executes once).</summary>
        public int Redelivered { get; init; }

        public double? MeanStepMs { get; init; }

        public double? StepP50Ms { get; init; }

        public int LaunchFailures { get; init; }

        public string? LaunchError { get; init; }

        /// <summary>PostgreSQL transactions committed or rolled back per item while draining.</summary>
        public double? TransactionsPerItem { get; init; }

        public string Describe() => Invariant($"{Items} in {WallSeconds:0.0} s, steady {PerSecond:0.0}/s, lost {Lost}, duplicated {Duplicated}, re-delivered {Redelivered}, CPU {CpuMsPerItem:0.0} ms each, {TransactionsPerItem:0.0} transactions each, machine {Busy}")
            + (MeanStepMs is { } step ? Invariant($", step mean {step:0.0} ms (p50 {StepP50Ms:0.0}), queue filled at {EnqueuePerSecond:0}/s, {LaunchFailures} launch failure(s){(LaunchError is null ? "" : $" ({LaunchError})")}") : "");
    }

    private static async Task<Drain> ReadRawAsync(string database, RawHangfireDrain.Result raw, CancellationToken ct)
    {
        var succeeded = await BenchDatabase.QueryAsync(database,
            "SELECT createdat FROM hangfire.state WHERE name = 'Succeeded' ORDER BY createdat", r => Utc(r.GetDateTime(0)), ct);
        var twice = (int)await BenchDatabase.ScalarAsync(database,
            "SELECT count(*) FROM (SELECT jobid FROM hangfire.state WHERE name = 'Processing' GROUP BY jobid HAVING count(*) > 1) t", ct);
        var done = (int)await BenchDatabase.ScalarAsync(database, "SELECT count(*) FROM hangfire.job WHERE statename = 'Succeeded'", ct);
        return new Drain(raw.Jobs, SteadyRate(succeeded), raw.DrainWallTime.TotalSeconds, raw.Jobs - done, twice, raw.EnqueuePerSecond,
            raw.CpuTime.TotalMilliseconds / raw.Jobs, raw.MachineBusy) { TransactionsPerItem = (double)raw.Transactions / raw.Jobs, Redelivered = twice };
    }

    private static async Task<Drain> DrainOursAsync(string root, string database, PipelineDefinition definition, string yaml, int processes, CancellationToken ct)
    {
        var home = Path.Combine(root, $"home-{processes}");
        await using var storage = await MlOpsStorage.OpenPostgresAsync(database, home, ct);
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddMlOpsExecution(new ExecutionSettings { PostgresConnectionString = database, RunServer = false });
        await using var provider = services.BuildServiceProvider();
        var starter = new RunStarter(new RunLauncher(storage.Runs, TimeProvider.System), storage.Runs, storage.RunExecution, provider.GetRequiredService<IRunDispatcher>(), TimeProvider.System);

        // Fill: Runs runs, as API calls would start them. A launch that fails is counted and tried again.
        var fill = Stopwatch.StartNew();
        var next = -1;
        var failures = 0;
        string? firstError = null;
        var request = new RunRequest { Definition = definition, Yaml = yaml, Trigger = "api", Mode = RunMode.Full };
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < Runs)
            {
                while (true)
                {
                    try
                    {
                        await starter.StartAsync(request, ct);
                        break;
                    }
                    catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
                    {
                        Interlocked.Increment(ref failures);
                        Interlocked.CompareExchange(ref firstError, $"{e.MessageText} ({e.ConstraintName})", null);
                    }
                }
            }
        }, ct)));
        var enqueuePerSecond = Runs / fill.Elapsed.TotalSeconds;
        var transactions = await BenchDatabase.TransactionsAsync(database, ct);

        string[] state = ["--postgres", database, "--home", home, "--data-root", root];
        var workers = new List<MlopsChild>();
        var machine = MachineCpu.Read();
        var drain = Stopwatch.StartNew();
        bool drained;
        TimeSpan cpu;
        try
        {
            for (var i = 0; i < processes; i++)
            {
                workers.Add(MlopsChild.Start($"worker#{i + 1}", root, ["worker", .. state]));
            }

            drained = await BenchDatabase.WaitUntilAsync(database,
                "SELECT count(*) FROM mlops.runs WHERE status IN ('succeeded', 'failed', 'cancelled')", Runs, DrainTimeout, ct);
            cpu = workers.Select(w => w.CpuTime() ?? TimeSpan.Zero).Aggregate(TimeSpan.Zero, (a, b) => a + b);
            if (!drained)
            {
                Console.Error.WriteLine(string.Join('\n', workers.Select(w => w.Describe(20))));
            }
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.DisposeAsync();
            }
        }

        var wall = drain.Elapsed.TotalSeconds;
        var busy = MachineCpu.Busy(machine, MachineCpu.Read());
        transactions = await BenchDatabase.TransactionsAsync(database, ct) - transactions;
        var runs = await BenchDatabase.QueryAsync(database,
            "SELECT status, finished_at FROM mlops.runs", r => (Status: r.GetString(0), Finished: r.IsDBNull(1) ? (DateTimeOffset?)null : r.GetFieldValue<DateTimeOffset>(1)), ct);
        var steps = await BenchDatabase.QueryAsync(database,
            "SELECT attempts, started_at, finished_at FROM mlops.steps", r => (Attempts: r.GetInt32(0),
                Ms: r.IsDBNull(1) || r.IsDBNull(2) ? (double?)null : (r.GetFieldValue<DateTimeOffset>(2) - r.GetFieldValue<DateTimeOffset>(1)).TotalMilliseconds), ct);
        var jobsTwice = (int)await BenchDatabase.ScalarAsync(database,
            "SELECT count(*) FROM (SELECT jobid FROM hangfire.state WHERE name = 'Processing' GROUP BY jobid HAVING count(*) > 1) t", ct);
        var succeeded = runs.Where(r => r.Status == "succeeded" && r.Finished is not null).Select(r => r.Finished!.Value.UtcDateTime).Order().ToList();
        var stepTimes = new Latencies(steps.Where(s => s.Ms is not null).Select(s => s.Ms!.Value));
        var duplicated = steps.Count(s => s.Attempts > 1) + Math.Max(0, runs.Count - Runs);
        return new Drain(Runs, SteadyRate(succeeded), wall, Runs - succeeded.Count, duplicated, enqueuePerSecond, cpu.TotalMilliseconds / Runs, busy)
        {
            Redelivered = jobsTwice,
            MeanStepMs = steps.Where(s => s.Ms is not null).Select(s => s.Ms!.Value).DefaultIfEmpty().Average(),
            StepP50Ms = stepTimes.P50,
            LaunchFailures = failures,
            LaunchError = firstError,
            TransactionsPerItem = (double)transactions / Runs,
        };
    }

    /// <summary>Completions per second between the 10th and the 90th percentile completion: start-up and tail left out.</summary>
    private static double SteadyRate(List<DateTime> completions)
    {
        if (completions.Count < 10)
        {
            return 0;
        }

        var from = (int)(completions.Count * 0.1);
        var to = (int)(completions.Count * 0.9) - 1;
        var seconds = (completions[to] - completions[from]).TotalSeconds;
        return seconds > 0 ? (to - from) / seconds : 0;
    }

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private static string Elapsed(Stopwatch clock) => Invariant($"at {clock.Elapsed.TotalSeconds:0} s");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
