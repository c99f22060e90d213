using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.ML.SampleData;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.ML.Steps.DataPrep;
using MlOpsOrchestrator.ML.Trainers;
using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Scheduling.Cron;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Storage;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Bench;

/// <summary>
/// Incremental retrain: a 5-minute slice (5,000 rows) warm-started from the production model trained on 1M rows,
/// end to end (data_prep → train → evaluate → deploy, real SQLite stores, the source CSV holding all 1,005,000 rows),
/// against a full retrain on the same 1,005,000 rows with the same trainer, options and threads. Both models are
/// measured by their evaluate step on the same 20,000 held-out rows (the pipeline's <c>test_source</c>).
/// </summary>
public sealed class WarmStartBenchmark : IBenchmark
{
    private const string Pipeline = "churn-bench";
    private const int HistoryRows = 1_000_000;
    private const int SliceRows = 5_000;
    private const int HeldOutRows = 20_000;
    private const int Repetitions = 3;
    private const string MetricName = "auc";

    /// <summary>5,000 rows in 5 minutes.</summary>
    private static readonly TimeSpan RowStep = TimeSpan.FromMilliseconds(60);

    private static readonly DateTime Start = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public string Name => "warm-start";

    public string Description =>
        $"warm start on a {SliceRows:N0}-row slice from a model trained on {HistoryRows:N0} rows vs a full retrain on all of them, end to end";

    public async Task<IReadOnlyList<Figure>> RunAsync(CancellationToken ct)
    {
        return await BenchRoot.UseAsync("mlops-bench-warm-start-", root => MeasureAsync(root, ct));
    }

    private static async Task<IReadOnlyList<Figure>> MeasureAsync(string root, CancellationToken ct)
    {
        var data = Directory.CreateDirectory(Path.Combine(root, "data")).FullName;
        var generator = new CustomerChurnGenerator();
        var history = new SampleSettings { Rows = HistoryRows, Seed = 7, Start = Start, Step = RowStep };
        var slice = new SampleSettings { Rows = SliceRows, Seed = 8, Start = Start + (RowStep * HistoryRows), Step = RowStep };
        var heldOut = new SampleSettings { Rows = HeldOutRows, Seed = 9, Start = slice.Start + (RowStep * SliceRows), Step = RowStep };
        var clock = Stopwatch.StartNew();
        await SampleGenerators.WriteAsync(generator, history, Path.Combine(data, "churn.csv"), ct);
        await SampleGenerators.WriteAsync(generator, heldOut, Path.Combine(data, "held-out.csv"), ct);
        Console.Error.WriteLine($"  generated {HistoryRows:N0} + {HeldOutRows:N0} rows in {clock.Elapsed.TotalSeconds:0.0} s");

        var threads = Environment.ProcessorCount;
        var yaml = Yaml(threads);
        var file = Path.Combine(data, "pipeline.yaml");
        await File.WriteAllTextAsync(file, yaml, ct);
        var loader = new PipelineLoader(new PipelineLoaderOptions { DataRoot = data }, MlNetTrainerCatalog.Default, QuartzCronEvaluator.Instance);
        var loaded = loader.Parse(yaml, file, "pipeline.yaml");
        if (loaded.Definition is null)
        {
            throw new InvalidOperationException("the benchmark pipeline does not load: " + string.Join("; ", loaded.Errors));
        }

        await using var storage = await MlOpsStorage.OpenSqliteAsync(Path.Combine(root, "home"), ct);
        await using var product = BenchProduct.Compose(storage, data);
        var runs = new Runs(product, loaded.Definition, yaml);

        // The production model: a full run on the first 1M rows.
        var initial = await runs.RunAsync(RunMode.Full, ct);
        var watermark = await storage.Watermarks.GetAsync(Pipeline, ct)
            ?? throw new InvalidOperationException("the full run set no watermark");
        Console.Error.WriteLine($"  initial full run on {HistoryRows:N0} rows: {initial.Describe()}");

        // The next five minutes arrive.
        await File.AppendAllLinesAsync(Path.Combine(data, "churn.csv"), generator.Rows(slice), new UTF8Encoding(false), ct);

        // (b) warm start on the slice from the model trained on 1M rows; repeated from the same starting point.
        var warm = new List<Measured>();
        for (var i = 0; i < Repetitions; i++)
        {
            await storage.Watermarks.SetAsync(Pipeline, watermark, "bench", ct);
            await storage.Registry.MoveAliasAsync(Pipeline, "production", initial.Version, "bench", "start each repetition from the 1M-row model", DateTimeOffset.UtcNow, ct);
            var measured = await runs.RunAsync(RunMode.Incremental, ct);
            if (measured.Steps["train"].Result is not TrainResult { Strategy: TrainingStrategy.WarmStart })
            {
                throw new InvalidOperationException($"the incremental run did not warm-start: {measured.Steps["train"].Result?.Note}");
            }

            warm.Add(measured);
            Console.Error.WriteLine($"  incremental warm start #{i + 1} on {SliceRows:N0} rows: {measured.Describe()}");
        }

        // (a) full retrain on all 1,005,000 rows.
        var full = await runs.RunAsync(RunMode.Full, ct);
        Console.Error.WriteLine($"  full retrain on {HistoryRows + SliceRows:N0} rows: {full.Describe()}");

        var median = warm.OrderBy(m => m.Seconds).ElementAt(warm.Count / 2);
        var warmMetric = median.Metric;
        var gap = Math.Abs(warmMetric - full.Metric) / full.Metric;
        var options = $"lbfgs_logistic_regression, number_of_threads {threads}, seed 42";
        return
        [
            new Figure("warm-start.end-to-end", "Incremental warm start, 5,000-row slice from a 1M-row model, end to end (vs full retrain)",
                median.Seconds, full.Seconds, "s", "≤ 2 s end to end", median.Seconds <= 2,
                Invariant($"customer-churn generator, 1,000,000 rows + a 5-minute slice of 5,000 (60 ms apart), {options}; ")
                + Invariant($"data_prep → train → evaluate → deploy through RunExecutor with SQLite stores, the CSV holding all 1,005,000 rows; ")
                + Invariant($"warm start: median of {Repetitions} runs from the same 1M-row model ({string.Join(", ", warm.Select(m => Format(m.Seconds)))}; ")
                + Invariant($"median steps {median.Breakdown}); full retrain: one run ({full.Breakdown})")),
            new Figure("warm-start.metric", "Incremental warm start: held-out AUC (vs full retrain on the same rows)",
                warmMetric, full.Metric, "auc", "within 1% of the full retrain", gap <= 0.01,
                Invariant($"both measured by their evaluate step on the same {HeldOutRows:N0} held-out rows after the slice (test_source); ")
                + Invariant($"relative gap {gap:P2}; the 1M-row model before the slice: {initial.Metric:0.####}")),
        ];
    }

    private static string Yaml(int threads) =>
        ChurnPipeline.Yaml(Pipeline, threads, testSource: "held-out.csv", warmStart: true, minGate: (MetricName, 0.6));

    private static string Format(double seconds) => seconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>One run: wall time from launch to finish, the deployed version, the evaluate step's metric, each step's time.</summary>
    private sealed record Measured(double Seconds, int Version, double Metric, IReadOnlyDictionary<string, StepRecord> Steps)
    {
        public string Breakdown => string.Join(", ", Steps.Values.Select(s =>
            $"{s.StepId} {(s.FinishedAt - s.StartedAt)?.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) ?? "?"} s"));

        public string Describe() => Invariant($"{Format(Seconds)}, v{Version}, {MetricName} {Metric:0.####} ({Breakdown})");
    }

    /// <summary>Launches and executes runs of the benchmark pipeline the way <c>mlops run</c> does.</summary>
    private sealed class Runs(ServiceProvider product, PipelineDefinition definition, string yaml)
    {
        private readonly RunLauncher _launcher = product.GetRequiredService<RunLauncher>();
        private readonly RunExecutor _executor = product.GetRequiredService<RunExecutor>();
        private readonly IRunRepository _runs = product.GetRequiredService<IRunRepository>();

        public async Task<Measured> RunAsync(RunMode mode, CancellationToken ct)
        {
            var clock = Stopwatch.StartNew();
            var (run, _) = await _launcher.LaunchAsync(new RunRequest { Definition = definition, Yaml = yaml, Mode = mode }, ct);
            var finished = await _executor.ExecuteAsync(run.RunId, null, ct);
            var seconds = clock.Elapsed.TotalSeconds;
            var steps = (await _runs.GetStepsAsync(run.RunId, ct)).ToDictionary(s => s.StepId, StringComparer.Ordinal);
            if (finished.Status != RunStatus.Succeeded || finished.Model is null)
            {
                throw new InvalidOperationException($"the {mode} run {StatusNames.Of(finished.Status)}: {finished.Error}");
            }

            var metric = steps["evaluate"].Metrics.TryGetValue(MetricName, out var value)
                ? value
                : throw new InvalidOperationException($"the evaluate step recorded no {MetricName}");
            return new Measured(seconds, finished.Model.Version, metric, steps);
        }
    }
}
