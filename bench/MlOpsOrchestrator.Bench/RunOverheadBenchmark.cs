using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.ML.Monitoring;
using MlOpsOrchestrator.ML.SampleData;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.ML.Steps.DataPrep;
using MlOpsOrchestrator.ML.Trainers;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Scheduling.Cron;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Storage;
using MlOpsOrchestrator.TestSupport;
using Npgsql;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Serilog.Formatting.Compact;
using static MlOpsOrchestrator.Bench.Percentiles;

namespace MlOpsOrchestrator.Bench;

/// <summary>
/// What orchestration costs per run and per step: a data_prep → train → evaluate → deploy pipeline over 200 rows,
/// launched and executed in process the way <c>mlops run</c> composes it (the real <see cref="RunExecutor"/>, the real
/// step executors, Serilog's JSON file log, the stores), 200 times after a warm-up. Each step executor is wrapped in a
/// decorator that times it; the overhead of a run is its wall time (launch to finish) minus its steps' own time.
/// Embedded (SQLite), and PostgreSQL when one can be had (<c>MLOPS_BENCH_POSTGRES</c>, else a throwaway cluster).
/// </summary>
public sealed class RunOverheadBenchmark : IBenchmark
{
    private const string Pipeline = "churn-run-overhead";
    private const int Rows = 200;
    private const int WarmUp = 10;
    private const int Runs = 200;
    private const int Steps = 4;

    public string Name => "run-overhead";

    public string Description => $"orchestration cost per run and per step ({Runs} runs of a {Steps}-step pipeline over {Rows} rows), SQLite and PostgreSQL";

    public async Task<IReadOnlyList<Figure>> RunAsync(CancellationToken ct)
    {
        var root = Directory.CreateTempSubdirectory("mlops-bench-run-overhead-").FullName;
        try
        {
            var data = Directory.CreateDirectory(Path.Combine(root, "data")).FullName;
            await SampleGenerators.WriteAsync(new CustomerChurnGenerator(), new SampleSettings { Rows = Rows, Seed = 11 }, Path.Combine(data, "churn.csv"), ct);
            var yaml = Path.Combine(data, "pipeline.yaml");
            await File.WriteAllTextAsync(yaml, Yaml, ct);

            var figures = new List<Figure>();
            var load = LoadAverage();
            var sqliteHome = Path.Combine(root, "home-sqlite");
            await using (var storage = await MlOpsStorage.OpenSqliteAsync(sqliteHome, ct))
            {
                var measured = await MeasureAsync(storage, sqliteHome, data, yaml, ct);
                figures.AddRange(Figures("embedded", "embedded (SQLite)", 20, measured, $"SQLite in a temporary home; load average at start {load}"));
            }

            await using var server = await PostgresServer.OpenAsync(ct);
            if (server is null)
            {
                Console.Error.WriteLine("  no PostgreSQL server (set MLOPS_BENCH_POSTGRES or install PostgreSQL); the PostgreSQL figures are not measured");
                return figures;
            }

            load = LoadAverage();
            var postgresHome = Path.Combine(root, "home-postgres");
            await using (var storage = await MlOpsStorage.OpenPostgresAsync(server.ConnectionString, postgresHome, new StorageOptions { PostgresSchema = server.Schema }, ct))
            {
                var commitsBefore = await server.CommitsAsync(ct);
                var measured = await MeasureAsync(storage, postgresHome, data, yaml, ct);
                var commits = (await server.CommitsAsync(ct) - commitsBefore) / (double)(WarmUp + Runs);
                var commit = await server.CommitLatencyAsync(ct);
                figures.AddRange(Figures("postgres", "PostgreSQL", 50, measured,
                    Invariant($"{server.Description}; about {commits:0} transactions per run (pg_stat_database xact_commit, reads included), a one-row INSERT commit on this server p50 {commit:0.00} ms; load average at start {load}")));
            }

            return figures;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static IEnumerable<Figure> Figures(string key, string where, double goalMs, Measured m, string setup)
    {
        var common = Invariant($"{Runs} runs after {WarmUp} warm-up runs of data_prep → train (lbfgs_logistic_regression, 1 thread) → evaluate → deploy over {Rows} customer-churn rows, ")
            + Invariant($"in process with the real RunExecutor and step executors; overhead = launch-to-finish wall time − Σ step executor time; baseline = Σ step executor time; ")
            + setup;
        foreach (var (p, name) in new[] { (50.0, "p50"), (99.0, "p99") })
        {
            var overhead = Of(m.OverheadMs, p);
            var work = Of(m.WorkMs, p);
            var perStep = Of(m.OverheadMs.Select(o => o / Steps).ToList(), p);
            yield return new Figure($"run-overhead.{key}.{name}", $"Orchestration overhead per run, {where}, {name} (vs the steps' own work)",
                overhead, work, "ms", Invariant($"≤ {goalMs:0} ms per run"), overhead <= goalMs,
                common + "; " + m.Gc + Invariant($"; {name}: run wall {Of(m.WallMs, p):0.#} ms, overhead per step (run overhead ÷ {Steps}) {perStep:0.##} ms"));
        }
    }

    private static async Task<Measured> MeasureAsync(StorageSet storage, string home, string data, string yamlPath, CancellationToken ct)
    {
        using var loggers = Loggers(home);
        var loader = new PipelineLoader(new PipelineLoaderOptions { DataRoot = data }, MlNetTrainerCatalog.Default, QuartzCronEvaluator.Instance);
        var loaded = loader.LoadFile(yamlPath);
        var definition = loaded.Definition ?? throw new InvalidOperationException("the benchmark pipeline does not load: " + string.Join("; ", loaded.Errors));
        var yaml = await File.ReadAllTextAsync(yamlPath, ct);

        // As MlOpsRuntime composes a one-shot run (AddMlOps, in-process dispatcher), each step executor timed by a decorator.
        var clock = new StepClock();
        await using var product = BenchProduct.Compose(storage, data, loggers, e => new TimedStep(e, clock));
        var launcher = product.GetRequiredService<RunLauncher>();
        var executor = product.GetRequiredService<RunExecutor>();

        var measured = new Measured([], [], []);
        var pauses = TimeSpan.Zero;
        var collections = 0;
        for (var i = 0; i < WarmUp + Runs; i++)
        {
            if (i == WarmUp)
            {
                pauses = GC.GetTotalPauseDuration();
                collections = GC.CollectionCount(2);
            }

            clock.Reset();
            var started = Stopwatch.GetTimestamp();
            var (run, _) = await launcher.LaunchAsync(new RunRequest { Definition = definition, Yaml = yaml }, ct);
            var finished = await executor.ExecuteAsync(run.RunId, null, ct);
            var wall = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (finished.Status != RunStatus.Succeeded)
            {
                throw new InvalidOperationException($"run {run.RunId} {StatusNames.Of(finished.Status)}: {finished.Error}");
            }

            if (clock.Count != Steps)
            {
                throw new InvalidOperationException($"run {run.RunId} executed {clock.Count} steps, expected {Steps}");
            }

            if (i >= WarmUp)
            {
                var work = clock.Elapsed.TotalMilliseconds;
                measured.WallMs.Add(wall);
                measured.WorkMs.Add(work);
                measured.OverheadMs.Add(wall - work);
            }
        }

        measured.Gc = Invariant($"GC in the process over the {Runs} runs: {(GC.GetTotalPauseDuration() - pauses).TotalMilliseconds:0} ms paused, {GC.CollectionCount(2) - collections} gen-2 collections");
        Console.Error.WriteLine(Invariant($"  {storage.Description}: overhead p50 {Of(measured.OverheadMs, 50):0.0} ms, p99 {Of(measured.OverheadMs, 99):0.0} ms; steps p50 {Of(measured.WorkMs, 50):0.0} ms"));
        return measured;
    }

    /// <summary>The loggers of a one-shot command (as <c>mlops run</c> configures Serilog): compact JSON under home/logs, warnings on stderr.</summary>
    private static SerilogLoggerFactory Loggers(string home)
    {
        var logger = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .WriteTo.File(new CompactJsonFormatter(), Path.Combine(home, "logs", "mlops-.json"), rollingInterval: RollingInterval.Day, shared: true)
            .WriteTo.Console(restrictedToMinimumLevel: LogEventLevel.Warning, standardErrorFromLevel: LogEventLevel.Verbose, formatProvider: CultureInfo.InvariantCulture)
            .CreateLogger();
        return new SerilogLoggerFactory(logger, dispose: true);
    }

    private static readonly string Yaml = ChurnPipeline.Yaml(Pipeline, threads: 1);

    private sealed record Measured(List<double> WallMs, List<double> WorkMs, List<double> OverheadMs)
    {
        public string Gc { get; set; } = "";
    }

    /// <summary>The time spent inside step executors during one run (steps of this pipeline run one after another).</summary>
    private sealed class StepClock
    {
        private long _ticks;
        private int _count;

        public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

        public int Count => Volatile.Read(ref _count);

        public void Reset()
        {
            Interlocked.Exchange(ref _ticks, 0);
            Interlocked.Exchange(ref _count, 0);
        }

        public void Add(TimeSpan elapsed)
        {
            Interlocked.Add(ref _ticks, elapsed.Ticks);
            Interlocked.Increment(ref _count);
        }
    }

    /// <summary>Times the step executor it wraps; what it returns is the wrapped executor's own.</summary>
    private sealed class TimedStep(IStepExecutor inner, StepClock clock) : IStepExecutor
    {
        public StepKind Kind => inner.Kind;

        public async Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken ct)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                return await inner.ExecuteAsync(context, ct);
            }
            finally
            {
                clock.Add(Stopwatch.GetElapsedTime(started));
            }
        }
    }

    /// <summary>
    /// The PostgreSQL the figures run on: <c>MLOPS_BENCH_POSTGRES</c> (a schema of its own, dropped afterwards), else a
    /// throwaway cluster from the test support with durability switched back on (fsync, synchronous commit, full-page
    /// writes), so commits cost what they cost on a real server.
    /// </summary>
    internal sealed class PostgresServer : IAsyncDisposable
    {
        private readonly PostgresCluster? _cluster;
        private readonly string? _dropSchemaFrom;

        private PostgresServer(string connectionString, string schema, string description, PostgresCluster? cluster, string? dropSchemaFrom)
        {
            ConnectionString = connectionString;
            Schema = schema;
            Description = description;
            _cluster = cluster;
            _dropSchemaFrom = dropSchemaFrom;
        }

        public string ConnectionString { get; }

        public string Schema { get; }

        public string Description { get; }

        public static async Task<PostgresServer?> OpenAsync(CancellationToken ct)
        {
            var schema = $"bench_run_overhead_{Guid.NewGuid():N}"[..30];
            if (Environment.GetEnvironmentVariable("MLOPS_BENCH_POSTGRES") is { Length: > 0 } external)
            {
                var version = await ScalarAsync(external, "SHOW server_version", ct);
                var fsync = await ScalarAsync(external, "SHOW fsync", ct);
                return new PostgresServer(external, schema, $"PostgreSQL {version} from MLOPS_BENCH_POSTGRES (fsync {fsync})", null, external);
            }

            PostgresCluster cluster;
            try
            {
                cluster = await PostgresCluster.StartAsync(ct);
            }
            catch (InvalidOperationException e)
            {
                Console.Error.WriteLine($"  cannot start a throwaway PostgreSQL cluster: {e.Message}");
                return null;
            }

            try
            {
                foreach (var setting in new[] { "fsync", "synchronous_commit", "full_page_writes" })
                {
                    await ScalarAsync(cluster.ConnectionString, $"ALTER SYSTEM SET {setting} = on", ct);
                }

                await ScalarAsync(cluster.ConnectionString, "SELECT pg_reload_conf()", ct);
                var fsync = "";
                for (var attempt = 0; attempt < 50 && fsync != "on"; attempt++)
                {
                    await Task.Delay(50, ct);
                    fsync = await ScalarAsync(cluster.ConnectionString, "SHOW fsync", ct);
                }

                var version = await ScalarAsync(cluster.ConnectionString, "SHOW server_version", ct);
                var database = await cluster.CreateDatabaseAsync("bench_run_overhead", ct);
                return new PostgresServer(database, schema, $"throwaway PostgreSQL {version} cluster on loopback, fsync {fsync}, synchronous_commit on", cluster, null);
            }
            catch
            {
                await cluster.DisposeAsync();
                throw;
            }
        }

        /// <summary>Transactions committed in the benchmark's database so far (the statistics lag by up to a second).</summary>
        public async Task<long> CommitsAsync(CancellationToken ct)
        {
            await Task.Delay(TimeSpan.FromSeconds(1.5), ct);
            return long.Parse(await ScalarAsync(ConnectionString, "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()", ct), CultureInfo.InvariantCulture);
        }

        /// <summary>The median time of a one-row INSERT in its own transaction: what one durable commit costs here.</summary>
        public async Task<double> CommitLatencyAsync(CancellationToken ct)
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync(ct);
            // A logged table in the benchmark's schema (temporary tables write no WAL, so their commits need no flush).
            await using (var create = new NpgsqlCommand($"CREATE TABLE IF NOT EXISTS \"{Schema}\".commit_probe (id int)", connection))
            {
                await create.ExecuteNonQueryAsync(ct);
            }

            var times = new List<double>();
            for (var i = 0; i < 200; i++)
            {
                await using var insert = new NpgsqlCommand($"INSERT INTO \"{Schema}\".commit_probe VALUES ({i})", connection);
                var started = Stopwatch.GetTimestamp();
                await insert.ExecuteNonQueryAsync(ct);
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            return Median(times);
        }

        public async ValueTask DisposeAsync()
        {
            if (_dropSchemaFrom is not null)
            {
                await ScalarAsync(_dropSchemaFrom, $"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE", CancellationToken.None);
            }

            if (_cluster is not null)
            {
                await _cluster.DisposeAsync();
            }
        }

        private static async Task<string> ScalarAsync(string connectionString, string sql, CancellationToken ct)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand(sql, connection);
            return Convert.ToString(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) ?? "";
        }
    }
}
