using System.Diagnostics;
using System.Globalization;
using MlOpsOrchestrator.Feedback;
using MlOpsOrchestrator.Storage;
using MlOpsOrchestrator.Stores;
using static MlOpsOrchestrator.Bench.Percentiles;

namespace MlOpsOrchestrator.Bench;

/// <summary>
/// Online metrics at scale: 1,000,000 logged answers (90% production, 10% canary, plus a shadow answer for every
/// tenth request) and 1,000,000 labels in the embedded store (SQLite), then the online metrics of the whole log, as
/// <c>GET /api/models/{name}/online</c> computes them: the join runs in SQL, its rows streamed into running sums.
/// The baseline is a brute-force computation of the same metrics from the generated rows in memory (a dictionary
/// from prediction id to label); the metrics must agree to 1e-9 (relative), or the figure fails.
/// </summary>
public sealed class FeedbackJoinBenchmark : IBenchmark
{
    private const int Requests = 1_000_000;
    private const int Batch = 100_000;
    private const double GoalSeconds = 10;
    private const int Repetitions = 3;

    public string Name => "feedback-join";

    public string Description => $"online metrics from {Requests:N0} logged predictions joined with {Requests:N0} labels vs brute force in memory";

    public async Task<IReadOnlyList<Figure>> RunAsync(CancellationToken ct)
    {
        var root = Directory.CreateTempSubdirectory("mlops-bench-feedback-").FullName;
        try
        {
            await using var stores = await MlOpsStorage.OpenSqliteAsync(root, ct);
            var model = "fare";
            var since = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
            var (answers, labels) = Generate(model, since);
            var load = Stopwatch.StartNew();
            for (var i = 0; i < answers.Count; i += Batch)
            {
                await stores.Predictions.AppendAsync(answers.GetRange(i, Math.Min(Batch, answers.Count - i)), ct);
            }

            for (var i = 0; i < labels.Count; i += Batch)
            {
                await stores.Feedback.AddAsync(model, labels.GetRange(i, Math.Min(Batch, labels.Count - i)), "bench", since.AddDays(2), ct);
            }

            Console.Error.WriteLine(Invariant($"  stored {answers.Count:N0} answers and {labels.Count:N0} labels in {load.Elapsed.TotalSeconds:0.0} s"));
            var metrics = IOnlineMetrics.Create(stores.Feedback, TimeProvider.System);
            var ours = new List<double>();
            var brute = new List<double>();
            OnlineReport? report = null;
            Dictionary<(string, int), (long Labelled, double Rmse, double Mae)>? expected = null;
            for (var r = 0; r < Repetitions; r++)
            {
                var clock = Stopwatch.StartNew();
                report = await metrics.ComputeAsync(model, since, ct);
                ours.Add(clock.Elapsed.TotalSeconds);
                clock.Restart();
                expected = BruteForce(answers, labels);
                brute.Add(clock.Elapsed.TotalSeconds);
                Console.Error.WriteLine(Invariant($"  #{r + 1}: join {ours[^1]:0.00} s, brute force {brute[^1]:0.00} s"));
            }

            var difference = Difference(report!, expected!);
            var seconds = Median(ours);
            var same = difference <= 1e-9;
            return
            [
                new Figure("feedback-join.online-metrics", "Online metrics of 1M logged predictions joined with 1M labels (vs brute force in memory)",
                    seconds, Median(brute), "s", Invariant($"≤ {GoalSeconds:0} s, metrics equal to brute force"), seconds <= GoalSeconds && same,
                    Invariant($"embedded store (SQLite), {answers.Count:N0} log rows ({Requests:N0} requests, 10% canary, a shadow answer for every tenth), {labels.Count:N0} labels; ")
                    + Invariant($"the join in SQL (prediction_log JOIN feedback_labels on model and prediction id), streamed into per-alias sums, plus latency percentiles over every answer; ")
                    + Invariant($"median of {Repetitions}: {string.Join(", ", ours.Select(s => Format(s)))} s vs brute force {string.Join(", ", brute.Select(s => Format(s)))} s; ")
                    + Invariant($"largest relative difference of rmse, mae and labelled counts from brute force {difference:0.###e+0}; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}")),
            ];
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static (List<PredictionRecord> Answers, List<FeedbackLabel> Labels) Generate(string model, DateTimeOffset since)
    {
        var random = new Random(14);
        var answers = new List<PredictionRecord>(Requests + (Requests / 10));
        var labels = new List<FeedbackLabel>(Requests);
        for (var i = 0; i < Requests; i++)
        {
            var id = $"p{i}";
            var actual = Math.Round(random.NextDouble() * 50, 3);
            var canary = i % 10 == 3;
            var at = since.AddMilliseconds(i * 100.0);
            answers.Add(Answer(model, canary ? 2 : 1, at, actual + ((random.NextDouble() - 0.5) * (canary ? 4 : 6)), random.NextDouble() * 20, canary ? "canary" : "production", id, false));
            if (i % 10 == 7)
            {
                answers.Add(Answer(model, 3, at, actual + ((random.NextDouble() - 0.5) * 5), random.NextDouble() * 20, "shadow", id, true));
            }

            labels.Add(FeedbackLabel.ForPrediction(id, actual.ToString(CultureInfo.InvariantCulture)));
        }

        return (answers, labels);
    }

    private static PredictionRecord Answer(string model, int version, DateTimeOffset at, double score, double latency, string alias, string id, bool shadow) =>
        new(model, version, at, "{\"x\":1}", $"{{\"score\":{Math.Round(score, 4).ToString(CultureInfo.InvariantCulture)}}}", Math.Round(latency, 3), alias, id, null, shadow);

    private static Dictionary<(string, int), (long Labelled, double Rmse, double Mae)> BruteForce(List<PredictionRecord> answers, List<FeedbackLabel> labels)
    {
        var byId = new Dictionary<string, double>(labels.Count);
        foreach (var label in labels)
        {
            byId.TryAdd(label.PredictionId!, double.Parse(label.Label, CultureInfo.InvariantCulture));
        }

        var errors = new Dictionary<(string, int), List<double>>();
        foreach (var answer in answers)
        {
            if (byId.TryGetValue(answer.PredictionId!, out var actual))
            {
                var score = double.Parse(answer.PredictionJson.AsSpan(9, answer.PredictionJson.Length - 10), CultureInfo.InvariantCulture);
                if (!errors.TryGetValue((answer.Alias, answer.Version), out var list))
                {
                    errors[(answer.Alias, answer.Version)] = list = [];
                }

                list.Add(score - actual);
            }
        }

        return errors.ToDictionary(e => e.Key, e => ((long)e.Value.Count, Math.Sqrt(e.Value.Sum(x => x * x) / e.Value.Count), e.Value.Sum(Math.Abs) / e.Value.Count));
    }

    private static double Difference(OnlineReport report, Dictionary<(string, int), (long Labelled, double Rmse, double Mae)> expected)
    {
        var worst = report.Versions.Count == expected.Count ? 0.0 : double.PositiveInfinity;
        foreach (var ((alias, version), want) in expected)
        {
            if (report.Find(alias, version) is not { } got || got.Labelled != want.Labelled)
            {
                return double.PositiveInfinity;
            }

            worst = Math.Max(worst, Math.Abs(got.Metrics["rmse"] - want.Rmse) / want.Rmse);
            worst = Math.Max(worst, Math.Abs(got.Metrics["mae"] - want.Mae) / want.Mae);
        }

        return worst;
    }
}
