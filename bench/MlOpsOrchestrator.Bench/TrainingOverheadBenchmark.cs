using System.Globalization;
using System.Text.Json;
using MlOpsOrchestrator.ML.SampleData;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Storage;
using static MlOpsOrchestrator.Bench.Percentiles;

namespace MlOpsOrchestrator.Bench;

/// <summary>
/// What the orchestrator costs on a real training run: <c>mlops run</c> of a data_prep → train → evaluate → deploy
/// pipeline on 1,000,000 generated rows (a child process, real executor, SQLite stores), against a plain ML.NET
/// program doing the same work on the same file (<see cref="TrainingBaseline"/>, a child process too). Wall time from
/// process start to exit, peak resident set (<c>VmHWM</c>), and the models' metrics on the same test rows.
/// </summary>
public sealed class TrainingOverheadBenchmark : IBenchmark
{
    private const string Pipeline = "churn-training-bench";
    private const int Rows = 1_000_000;
    private const int Repetitions = 3;
    private const double MetricTolerance = 1e-9;

    /// <summary>The metrics ML.NET computes exactly; <c>auprc</c> is estimated from a seeded reservoir sample of the scores.</summary>
    private static readonly string[] ExactMetrics = ["auc", "accuracy", "f1", "precision", "recall", "log_loss"];

    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(10);

    public string Name => "training-overhead";

    public string Description => $"mlops run (load, featurize, train, evaluate, deploy) on {Rows:N0} rows vs a plain ML.NET program on the same file";

    public async Task<IReadOnlyList<Figure>> RunAsync(CancellationToken ct)
    {
        return await BenchRoot.UseAsync("mlops-bench-training-", root => MeasureAsync(root, ct));
    }

    private static async Task<IReadOnlyList<Figure>> MeasureAsync(string root, CancellationToken ct)
    {
        var data = Directory.CreateDirectory(Path.Combine(root, "data")).FullName;
        var csv = Path.Combine(data, "churn.csv");
        var settings = new SampleSettings { Rows = Rows, Seed = 7, Step = TimeSpan.FromMinutes(1) };
        await SampleGenerators.WriteAsync(new CustomerChurnGenerator(), settings, csv, ct);
        var threads = Environment.ProcessorCount;
        var yaml = Path.Combine(data, "pipeline.yaml");
        await File.WriteAllTextAsync(yaml, Yaml(threads), ct);
        var load = LoadAverage();

        var ours = new List<Measured>();
        var baseline = new List<Measured>();
        for (var i = 0; i < Repetitions; i++)
        {
            // Alternating which goes first, so neither always runs on a warmer machine.
            if (i % 2 == 0)
            {
                ours.Add(await OursAsync(root, data, yaml, i, ct));
                baseline.Add(await BaselineAsync(root, csv, threads, i, ct));
            }
            else
            {
                baseline.Add(await BaselineAsync(root, csv, threads, i, ct));
                ours.Add(await OursAsync(root, data, yaml, i, ct));
            }

            Console.Error.WriteLine(Invariant($"  #{i + 1}: mlops run {ours[^1].Seconds:0.00} s, {ours[^1].PeakMb:0} MB; plain ML.NET {baseline[^1].Seconds:0.00} s, {baseline[^1].PeakMb:0} MB"));
        }

        var wall = (Ours: Median(ours.Select(m => m.Seconds).ToList()), Baseline: Median(baseline.Select(m => m.Seconds).ToList()));
        var peak = (Ours: Median(ours.Select(m => m.PeakMb).ToList()), Baseline: Median(baseline.Select(m => m.PeakMb).ToList()));
        var (ourMetrics, baseMetrics) = (ours[0].Metrics, baseline[0].Metrics);
        var gaps = ExactMetrics.ToDictionary(m => m, m => RelativeGap(ourMetrics[m], baseMetrics[m]));
        var stable = ours.All(m => ExactMetrics.All(n => m.Metrics[n] == ourMetrics[n]))
            && baseline.All(m => ExactMetrics.All(n => m.Metrics[n] == baseMetrics[n]));
        var identical = stable && gaps.Values.All(g => g <= MetricTolerance);
        var median = ours.OrderBy(m => m.Seconds).ElementAt(ours.Count / 2);

        var setup = Invariant($"customer-churn generator, {Rows:N0} rows (70 MB CSV), lbfgs_logistic_regression with number_of_threads {threads} and seed 42 in both, random 80/20 split (seed 42); ")
            + Invariant($"median of {Repetitions} alternating runs of each, both child processes (dotnet host, workstation GC); load average at start {load}");
        return
        [
            new Figure("training-overhead.wall", "`mlops run` on 1M rows: wall time, process start to exit (vs plain ML.NET)",
                wall.Ours, wall.Baseline, "s", "ratio ≤ 1.05", wall.Ours / wall.Baseline <= 1.05,
                setup + Invariant($"; runs: ours {string.Join(", ", ours.Select(m => Format(m.Seconds)))} s, plain {string.Join(", ", baseline.Select(m => Format(m.Seconds)))} s; ")
                + Invariant($"median run's steps: {median.Breakdown}")),
            new Figure("training-overhead.memory", "`mlops run` on 1M rows: peak resident memory (vs plain ML.NET)",
                peak.Ours, peak.Baseline, "MB", "ratio ≤ 1.2", peak.Ours / peak.Baseline <= 1.2,
                Invariant($"VmHWM of each child process (MiB), read from /proc every 20 ms until exit; runs: ours {string.Join(", ", ours.Select(m => Format(m.PeakMb, "0")))}, ")
                + Invariant($"plain {string.Join(", ", baseline.Select(m => Format(m.PeakMb, "0")))}")),
            new Figure("training-overhead.metrics", "`mlops run` on 1M rows: test AUC of the deployed model (vs plain ML.NET)",
                ourMetrics["auc"], baseMetrics["auc"], "auc", "identical metrics (floating-point tolerance)", identical,
                Invariant($"same {baseMetrics["test_rows"]:0} test rows; ours (evaluate step) / plain: ")
                + string.Join(", ", ExactMetrics.Select(m => Invariant($"{m} {ourMetrics[m]:0.######}/{baseMetrics[m]:0.######}")))
                + Invariant($"; largest relative gap {gaps.Values.Max():0.###e0}; every run gave the same values: {(stable ? "yes" : "no")}; ")
                + Invariant($"auprc {ourMetrics["auprc"]:0.####}/{baseMetrics["auprc"]:0.####} is not compared: ML.NET estimates it from a reservoir sample drawn with the context's random state")),
        ];
    }

    private static async Task<Measured> OursAsync(string root, string data, string yaml, int repetition, CancellationToken ct)
    {
        // A fresh home each time: every run is the pipeline's first, so evaluate has no production model to measure too.
        var home = Path.Combine(root, $"home-{repetition}");
        await using var process = BenchProcess.StartDll(BenchProcess.MlOpsDll, ["run", yaml, "--home", home, "--data-root", data], root);
        var (exit, wall) = await process.WaitForExitAsync(RunTimeout, ct);
        if (exit != 0)
        {
            throw new InvalidOperationException($"mlops run exited with {exit}; {process.Describe()}");
        }

        await using var storage = await MlOpsStorage.OpenSqliteAsync(home, ct);
        var run = (await storage.Runs.ListAsync(Pipeline, 1, ct)).Single();
        if (run.Status != RunStatus.Succeeded)
        {
            throw new InvalidOperationException($"the run {StatusNames.Of(run.Status)}: {run.Error}");
        }

        var steps = await storage.Runs.GetStepsAsync(run.RunId, ct);
        var metrics = steps.Single(s => s.StepId == "evaluate").Metrics.ToDictionary(p => p.Key, p => p.Value);
        var breakdown = string.Join(", ", steps.Select(s =>
            $"{s.StepId} {(s.FinishedAt - s.StartedAt)?.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) ?? "?"} s"));
        return new Measured(wall.TotalSeconds, process.PeakBytes / 1048576.0, metrics, breakdown);
    }

    private static async Task<Measured> BaselineAsync(string root, string csv, int threads, int repetition, CancellationToken ct)
    {
        var model = Path.Combine(root, $"baseline-{repetition}.zip");
        await using var process = BenchProcess.StartDll(
            BenchProcess.BenchDll, [TrainingBaseline.Mode, csv, model, threads.ToString(CultureInfo.InvariantCulture)], root);
        var (exit, wall) = await process.WaitForExitAsync(RunTimeout, ct);
        if (exit != 0 || !File.Exists(model))
        {
            throw new InvalidOperationException($"the plain ML.NET baseline exited with {exit}; {process.Describe()}");
        }

        var metrics = JsonSerializer.Deserialize<Dictionary<string, double>>(process.Output.Split('\n').Last(l => l.StartsWith('{')))!;
        return new Measured(wall.TotalSeconds, process.PeakBytes / 1048576.0, metrics, "");
    }

    private static double RelativeGap(double a, double b) => a == b ? 0 : Math.Abs(a - b) / Math.Max(Math.Abs(a), Math.Abs(b));

    private static string Yaml(int threads) => ChurnPipeline.Yaml(Pipeline, threads);

    private sealed record Measured(double Seconds, double PeakMb, IReadOnlyDictionary<string, double> Metrics, string Breakdown);
}
