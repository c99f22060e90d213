using System.Diagnostics;
using System.Globalization;
using System.Text;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.ML.Data.Ingestion;
using MlOpsOrchestrator.ML.Features;
using MlOpsOrchestrator.ML.Trainers;
using MlOpsOrchestrator.Scheduling.Cron;
using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Storage.Sources;
using MlOpsOrchestrator.TestSupport;
using Npgsql;

namespace MlOpsOrchestrator.Bench;

/// <summary>
/// The point-in-time training set of 1M label rows against 10M events of 100k entities (count and max over a day, sum
/// over a week, last within 30 days), from CSV files to the joined CSV, against reading both files once with the same
/// CSV reader, and against the same join as a LATERAL query in PostgreSQL, in the same run. Then a second pipeline
/// using the same view: the source rows it reads. The sizes can be lowered with MLOPS_BENCH_FEATURE_EVENTS and
/// MLOPS_BENCH_FEATURE_LABELS (the figures name the sizes they measured).
/// </summary>
public sealed class FeatureJoinBenchmark : IBenchmark
{
    private const int Entities = 100_000;
    private static readonly DateTime Start = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public string Name => "features";
    public string Description => "point-in-time training set: 1M label rows x 10M events vs reading both files, and vs PostgreSQL LATERAL";

    public async Task<IReadOnlyList<Figure>> RunAsync(CancellationToken ct)
    {
        var events = Size("MLOPS_BENCH_FEATURE_EVENTS", 10_000_000);
        var labels = Size("MLOPS_BENCH_FEATURE_LABELS", 1_000_000);
        var root = Directory.CreateTempSubdirectory("mlops-bench-features-").FullName;
        try
        {
            Console.Error.WriteLine($"  generating {events:N0} events and {labels:N0} label rows");
            Generate(root, events, labels);
            var sources = new SourceReaders([new CsvSourceReader(), new PostgresSourceReader()]);
            var readSeconds = await ReadBothAsync(sources, root, ct);
            Console.Error.WriteLine($"  read both files once: {readSeconds:0.0} s");

            var loader = new PipelineLoader(new PipelineLoaderOptions { DataRoot = root }, MlNetTrainerCatalog.Default, QuartzCronEvaluator.Instance);
            var first = Load(loader, root, "first", "activity:count_1d, activity:sum_7d, activity:max_1d, activity:last_amount");
            var second = Load(loader, root, "second", "activity:sum_7d, activity:last_amount");
            var store = new FeatureStore(MlOpsOrchestrator.Storage.MlOpsStorage.OpenArtifacts(Path.Combine(root, "home")), sources);

            var baseline = Process.GetCurrentProcess().WorkingSet64;
            using var peak = new PeakMemory();
            var watch = Stopwatch.StartNew();
            var (export, problem) = await store.ExportAsync(first, Path.Combine(root, "training-first.csv"), null, m => Console.Error.WriteLine($"    {m}"), ct);
            var oursSeconds = watch.Elapsed.TotalSeconds;
            var peakMb = peak.Stop() / 1e6;
            if (export is null)
            {
                throw new InvalidOperationException(problem);
            }

            Console.Error.WriteLine($"  ours: {oursSeconds:0.0} s, peak working set {peakMb:0} MB ({baseline / 1e6:0} MB before)");
            watch.Restart();
            var (shared, problem2) = await store.ExportAsync(second, Path.Combine(root, "training-second.csv"), null, _ => { }, ct);
            var secondSeconds = watch.Elapsed.TotalSeconds;
            if (shared is null)
            {
                throw new InvalidOperationException(problem2);
            }

            var sizes = string.Create(CultureInfo.InvariantCulture, $"{labels:N0} label rows, {events:N0} events, {Entities:N0} entities, 4 features");
            var figures = new List<Figure>
            {
                new("features.join", "Point-in-time training set, time vs reading both files once", oursSeconds, readSeconds, "s",
                    "≤ 2× the read of both files (ratio ≤ 2)", oursSeconds <= 2 * readSeconds,
                    string.Create(CultureInfo.InvariantCulture, $"{sizes}; from the CSV files to the joined CSV (typing, external sort in 1M-row chunks spilled to temp files, merge, write); baseline: the same CSV reader iterating both files once; peak working set {peakMb:0} MB ({baseline / 1e6:0} MB before; memory bounded by one sort chunk, the entity keys and 8 bytes per label row and feature)")),
                new("features.shared", "Second pipeline sharing the view: source rows read", shared.SourceRowsRead, null, "rows",
                    "0 (the materialization is reused)", shared.SourceRowsRead == 0 && shared.ViewsReused == 1,
                    string.Create(CultureInfo.InvariantCulture, $"{sizes}; the second pipeline's training set took {secondSeconds:0.0} s (join and write only) after the first's {oursSeconds:0.0} s")),
            };

            if (await LateralAsync(root, ct) is { } pg)
            {
                var sums = Sums(Path.Combine(root, "training-first.csv"));
                var agree = Math.Abs(sums.Count - pg.CountSum) < 0.5 && Math.Abs(sums.Sum - pg.SumSum) <= 1e-6 * Math.Max(1, Math.Abs(pg.SumSum));
                figures.Add(new Figure("features.postgres", "Point-in-time training set vs PostgreSQL LATERAL join", oursSeconds, pg.QuerySeconds, "s",
                    "within 2× of the LATERAL query on loaded, indexed tables", oursSeconds <= 2 * pg.QuerySeconds && agree,
                    string.Create(CultureInfo.InvariantCulture, $"{sizes}; PostgreSQL {pg.Version}: the query alone (tables already loaded by COPY and indexed on (entity, ts), {pg.LoadSeconds:0.0} s before it), all rows fetched; ours from the CSV files; the results agree (sum of count_1d {sums.Count:0}, sum of sum_7d {sums.Sum:0.##}){(agree ? "" : " — THEY DO NOT AGREE")}")));
            }

            return figures;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static int Size(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : fallback;

    private static void Generate(string root, int events, int labels)
    {
        var random = new Random(42);
        var span = (long)TimeSpan.FromDays(365).TotalSeconds;
        using (var writer = new StreamWriter(Path.Combine(root, "events.csv"), false, new UTF8Encoding(false), 1 << 20))
        {
            writer.Write("entity,ts,amount\n");
            for (var i = 0; i < events; i++)
            {
                var at = Start.AddSeconds(random.NextInt64(span));
                writer.Write(string.Create(CultureInfo.InvariantCulture, $"e{random.Next(Entities)},{at:yyyy-MM-ddTHH:mm:ssZ},{(random.Next(50) == 0 ? "" : Math.Round(random.NextDouble() * 100, 2).ToString(CultureInfo.InvariantCulture))}\n"));
            }
        }

        using (var writer = new StreamWriter(Path.Combine(root, "labels.csv"), false, new UTF8Encoding(false), 1 << 20))
        {
            writer.Write("entity,ts,label\n");
            for (var i = 0; i < labels; i++)
            {
                var at = Start.AddSeconds(random.NextInt64(span));
                writer.Write(string.Create(CultureInfo.InvariantCulture, $"e{random.Next(Entities)},{at:yyyy-MM-ddTHH:mm:ssZ},{random.Next(10)}\n"));
            }
        }

        Directory.CreateDirectory(Path.Combine(root, "features"));
        File.WriteAllText(Path.Combine(root, "features", "activity.yaml"), """
            version: 1
            kind: feature_view
            name: activity
            entity: entity
            source: { type: csv, path: ../events.csv }
            timestamp: ts
            features:
              count_1d: { agg: count, window: 1d }
              sum_7d: { agg: sum, column: amount, window: 7d }
              max_1d: { agg: max, column: amount, window: 1d }
              last_amount: { agg: last, column: amount }
            ttl: 30d
            """);
    }

    private static DataSpec Load(PipelineLoader loader, string root, string name, string features)
    {
        var file = Path.Combine(root, $"{name}.yaml");
        File.WriteAllText(file, $$"""
            version: 1
            name: {{name}}
            data:
              source: { type: csv, path: labels.csv }
              timestamp: ts
              label: label
              features: [{{features}}]
            steps:
              - { id: prep, kind: data_prep }
            """);
        var result = loader.LoadFile(file);
        return result.Definition?.Spec.Data ?? throw new InvalidOperationException(string.Join('\n', result.Errors));
    }

    /// <summary>Seconds to iterate every record of both files once with the product's CSV reader.</summary>
    private static async Task<double> ReadBothAsync(SourceReaders sources, string root, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        long records = 0;
        foreach (var file in new[] { "events.csv", "labels.csv" })
        {
            var (opened, problem) = await sources.OpenAsync(new SourceRequest { Source = new SourceSpec { Type = SourceType.Csv, Path = Path.Combine(root, file), Mark = new SourceMark(1, 1) } }, ct);
            using var source = opened ?? throw new InvalidOperationException(problem);
            using var cursor = source.OpenRecords();
            while (cursor.Read())
            {
                records += cursor.Record.FieldCount;
            }
        }

        return records > 0 ? watch.Elapsed.TotalSeconds : 0;
    }

    private sealed record Lateral(double LoadSeconds, double QuerySeconds, double CountSum, double SumSum, string Version);

    private static async Task<Lateral?> LateralAsync(string root, CancellationToken ct)
    {
        PostgresCluster cluster;
        try
        {
            cluster = await PostgresCluster.StartAsync(ct);
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine($"  cannot start a throwaway PostgreSQL cluster, no LATERAL comparison: {e.Message}");
            return null;
        }

        await using (cluster)
        {
            var database = await cluster.CreateDatabaseAsync("bench_features", ct);
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync(ct);
            var watch = Stopwatch.StartNew();
            await ExecuteAsync(connection, "CREATE TABLE events (entity text, ts timestamptz, amount double precision); CREATE TABLE labels (row_id serial, entity text, ts timestamptz, label int)", ct);
            await CopyAsync(connection, "COPY events (entity, ts, amount) FROM STDIN (FORMAT csv, HEADER true)", Path.Combine(root, "events.csv"), ct);
            await CopyAsync(connection, "COPY labels (entity, ts, label) FROM STDIN (FORMAT csv, HEADER true)", Path.Combine(root, "labels.csv"), ct);
            await ExecuteAsync(connection, "CREATE INDEX ON events (entity, ts); ANALYZE events; ANALYZE labels", ct);
            var load = watch.Elapsed.TotalSeconds;
            Console.Error.WriteLine($"  PostgreSQL: loaded and indexed in {load:0.0} s");

            watch.Restart();
            double count = 0, sum = 0;
            await using (var command = new NpgsqlCommand(
                """
                SELECT l.row_id, f.count_1d, f.sum_7d, f.max_1d, la.amount
                FROM labels l
                LEFT JOIN LATERAL (
                  SELECT count(*) FILTER (WHERE e.ts > l.ts - interval '1 day') AS count_1d,
                         coalesce(sum(e.amount), 0) AS sum_7d,
                         max(e.amount) FILTER (WHERE e.ts > l.ts - interval '1 day') AS max_1d
                  FROM events e WHERE e.entity = l.entity AND e.ts > l.ts - interval '7 days' AND e.ts <= l.ts) f ON true
                LEFT JOIN LATERAL (
                  SELECT e.amount FROM events e
                  WHERE e.entity = l.entity AND e.ts <= l.ts AND e.ts >= l.ts - interval '30 days' AND e.amount IS NOT NULL
                  ORDER BY e.ts DESC LIMIT 1) la ON true
                """,
                connection) { CommandTimeout = 0 })
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    count += reader.GetInt64(1);
                    sum += reader.GetDouble(2);
                }
            }

            var query = watch.Elapsed.TotalSeconds;
            Console.Error.WriteLine($"  PostgreSQL: LATERAL join in {query:0.0} s");
            await using var version = new NpgsqlCommand("SHOW server_version", connection);
            return new Lateral(load, query, count, sum, (string)(await version.ExecuteScalarAsync(ct))!);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task CopyAsync(NpgsqlConnection connection, string copy, string file, CancellationToken ct)
    {
        await using var writer = await connection.BeginTextImportAsync(copy, ct);
        using var reader = new StreamReader(file);
        var buffer = new char[1 << 16];
        int read;
        while ((read = await reader.ReadAsync(buffer, ct)) > 0)
        {
            await writer.WriteAsync(buffer.AsMemory(0, read), ct);
        }
    }

    /// <summary>The sums of count_1d and sum_7d over the joined file, to check both joins agree.</summary>
    private static (double Count, double Sum) Sums(string file)
    {
        double count = 0, sum = 0;
        foreach (var line in File.ReadLines(file).Skip(1))
        {
            var fields = line.Split(',');
            count += double.Parse(fields[3], CultureInfo.InvariantCulture);
            sum += double.Parse(fields[4], CultureInfo.InvariantCulture);
        }

        return (count, sum);
    }

    /// <summary>Samples the process's working set every 50 ms; <see cref="Stop"/> returns the highest seen.</summary>
    private sealed class PeakMemory : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _sampler;
        private long _peak;

        public PeakMemory() => _sampler = Task.Run(async () =>
        {
            using var process = Process.GetCurrentProcess();
            while (!_stop.IsCancellationRequested)
            {
                process.Refresh();
                _peak = Math.Max(_peak, process.WorkingSet64);
                try
                {
                    await Task.Delay(50, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });

        public long Stop()
        {
            _stop.Cancel();
            _sampler.Wait();
            return _peak;
        }

        public void Dispose()
        {
            _stop.Cancel();
            _stop.Dispose();
        }
    }
}
