using MlOpsOrchestrator.Feedback;
using MlOpsOrchestrator.Storage.Tests.Support;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;

namespace MlOpsOrchestrator.Storage.Tests;

[TestFixtureSource(typeof(StoreEngines), nameof(StoreEngines.All))]
public sealed class FeedbackStoreTests(StoreEngine engine) : StoreFixture(engine)
{
    private static PredictionRecord Answer(string model, string id, double score, DateTimeOffset at, string alias = "production", int version = 1, string? key = null, bool shadow = false, double latency = 1) =>
        new(model, version, at, "{}", $"{{\"score\":{score.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}", latency, alias, id, key, shadow);

    private Task<IReadOnlyList<FeedbackOutcome>> AddAsync(string model, params FeedbackLabel[] labels) =>
        Stores.Feedback.AddAsync(model, labels, "alice", Sample.T0.AddHours(1), CancellationToken.None);

    private async Task<List<LabelledPrediction>> JoinedAsync(string model, DateTimeOffset since)
    {
        var rows = new List<LabelledPrediction>();
        await foreach (var row in Stores.Feedback.ReadLabelledAsync(model, since, CancellationToken.None))
        {
            rows.Add(row);
        }

        return rows;
    }

    [Test]
    public async Task AddAsync_KnownDuplicateAndUnknownIds_AcceptsRefusesAndKeepsEachAsSaid()
    {
        var model = Sample.Name("taxi");
        await Stores.Predictions.AppendAsync(
            [Answer(model, "p-1", 10, Sample.T0), Answer(model, "p-1", 12, Sample.T0, "shadow", 2, shadow: true)], CancellationToken.None);

        var outcomes = await AddAsync(model, FeedbackLabel.ForPrediction("p-1", "11"), FeedbackLabel.ForPrediction("p-1", "99"), FeedbackLabel.ForPrediction("p-404", "5"));

        Assert.That(outcomes.Select(o => (o.Index, o.Status, o.PredictionId)), Is.EqualTo(new[]
        {
            (0, FeedbackStatus.Accepted, (string?)"p-1"), (1, FeedbackStatus.Duplicate, "p-1"), (2, FeedbackStatus.Unknown, "p-404"),
        }));
        Assert.That(outcomes[1].Reason, Does.Contain("already has a label"));
        Assert.That(outcomes[2].Reason, Does.Contain("kept"));
        Assert.That(await Stores.Feedback.CountWaitingAsync(model, CancellationToken.None), Is.EqualTo(1));
        var joined = await JoinedAsync(model, Sample.T0);
        Assert.That(joined.Select(j => (j.Alias, j.Version, j.Label)), Is.EquivalentTo(new[] { ("production", 1, "11"), ("shadow", 2, "11") }),
            "the first label stands and judges both answers of the request");
    }

    [Test]
    public async Task AddAsync_LabelBeforeItsPrediction_CountsOnceThePredictionIsLogged()
    {
        var model = Sample.Name("taxi");
        Assert.That((await AddAsync(model, FeedbackLabel.ForPrediction("p-late", "3")))[0].Status, Is.EqualTo(FeedbackStatus.Unknown));
        Assert.That(await JoinedAsync(model, Sample.T0), Is.Empty);

        await Stores.Predictions.AppendAsync([Answer(model, "p-late", 4, Sample.T0)], CancellationToken.None);

        Assert.That(await Stores.Feedback.CountWaitingAsync(model, CancellationToken.None), Is.Zero);
        Assert.That((await JoinedAsync(model, Sample.T0)).Single().Label, Is.EqualTo("3"));
        Assert.That((await AddAsync(model, FeedbackLabel.ForPrediction("p-late", "8")))[0].Status, Is.EqualTo(FeedbackStatus.Duplicate));
    }

    [Test]
    public async Task AddAsync_ByKey_MatchesTheNewestReturnedAnswerAtOrBeforeItsTime_AndLaterOnesWhenTheyArrive()
    {
        var model = Sample.Name("taxi");
        await Stores.Predictions.AppendAsync(
        [
            Answer(model, "p-a", 1, Sample.T0, key: "rider-9"),
            Answer(model, "p-s", 1, Sample.T0.AddSeconds(5), "shadow", 2, key: "rider-9", shadow: true),
            Answer(model, "p-b", 1, Sample.T0.AddSeconds(10), key: "rider-9"),
            Answer(model, "p-c", 1, Sample.T0.AddSeconds(6), key: "rider-7"),
        ], CancellationToken.None);

        var outcomes = await AddAsync(
            model,
            FeedbackLabel.ForKey("rider-9", Sample.T0.AddSeconds(7), "2"),
            FeedbackLabel.ForKey("rider-9", Sample.T0.AddSeconds(10), "3"),
            FeedbackLabel.ForKey("rider-9", Sample.T0.AddSeconds(8), "4"),
            FeedbackLabel.ForKey("rider-9", Sample.T0.AddSeconds(-1), "5"));

        Assert.That(outcomes.Select(o => (o.Status, o.PredictionId)), Is.EqualTo(new[]
        {
            (FeedbackStatus.Accepted, (string?)"p-a"), (FeedbackStatus.Accepted, "p-b"), (FeedbackStatus.Duplicate, "p-a"), (FeedbackStatus.Unknown, null),
        }));
        Assert.That(await Stores.Feedback.CountWaitingAsync(model, CancellationToken.None), Is.EqualTo(1));

        await Stores.Predictions.AppendAsync([Answer(model, "p-early", 1, Sample.T0.AddSeconds(-2), key: "rider-9")], CancellationToken.None);
        await AddAsync(model);

        Assert.That(await Stores.Feedback.CountWaitingAsync(model, CancellationToken.None), Is.Zero, "the waiting key label found its prediction");
        Assert.That((await JoinedAsync(model, Sample.T0.AddSeconds(-5))).Select(j => j.Label), Is.EquivalentTo(new[] { "2", "3", "5" }));
    }

    [Test]
    public async Task OnlineMetrics_KeyLabelBeforeItsPrediction_MatchedWhenTheMetricsAreRead()
    {
        var model = Sample.Name("taxi");
        Assert.That((await AddAsync(model, FeedbackLabel.ForKey("rider-3", Sample.T0.AddMinutes(5), "7")))[0].Status, Is.EqualTo(FeedbackStatus.Unknown));
        await Stores.Predictions.AppendAsync([Answer(model, "p-k", 9, Sample.T0, key: "rider-3")], CancellationToken.None);

        var report = await IOnlineMetrics.Create(Stores.Feedback, TimeProvider.System).ComputeAsync(model, Sample.T0, CancellationToken.None);

        Assert.That((report.WaitingLabels, report.Find("production", 1)!.Labelled, report.Find("production", 1)!.Metrics["rmse"]), Is.EqualTo((0, 1L, 2.0)));
    }

    [Test]
    public async Task ReadLabelledAsync_LeavesAnswersBeforeTheWindowAndOtherModelsOut()
    {
        var model = Sample.Name("taxi");
        var other = Sample.Name("iris");
        await Stores.Predictions.AppendAsync(
            [Answer(model, "old", 1, Sample.T0.AddHours(-2)), Answer(model, "new", 1, Sample.T0), Answer(other, "new", 1, Sample.T0)], CancellationToken.None);
        await AddAsync(model, FeedbackLabel.ForPrediction("old", "1"), FeedbackLabel.ForPrediction("new", "2"));

        Assert.That((await JoinedAsync(model, Sample.T0.AddHours(-1))).Select(j => j.Label), Is.EqualTo(new[] { "2" }));
        Assert.That(await JoinedAsync(other, Sample.T0), Is.Empty);
    }

    [Test]
    public async Task AddAsync_BatchWithAnEmptyLabel_RefusedWholeNothingStored()
    {
        var model = Sample.Name("taxi");

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => AddAsync(model, FeedbackLabel.ForPrediction("p-1", "1"), FeedbackLabel.ForPrediction("p-2", " ")));

        Assert.That(refused!.Message, Does.Contain("Label 1 has no label"));
        Assert.That(await Stores.Feedback.CountWaitingAsync(model, CancellationToken.None), Is.Zero);
    }

    [Test]
    public async Task OnlineMetrics_RandomTrafficWithLabels_EqualsABruteForceComputation()
    {
        var model = Sample.Name("taxi");
        var random = new Random(7);
        var answers = new List<PredictionRecord>();
        for (var i = 0; i < 1500; i++)
        {
            var at = Sample.T0.AddSeconds(i);
            var (alias, version) = random.NextDouble() < 0.2 ? ("canary", 2) : ("production", 1);
            answers.Add(Answer(model, $"p-{i}", Math.Round(random.NextDouble() * 100, 3), at, alias, version, latency: Math.Round(random.NextDouble() * 50, 3)));
            if (random.NextDouble() < 0.5)
            {
                answers.Add(Answer(model, $"p-{i}", Math.Round(random.NextDouble() * 100, 3), at, "shadow", 3, shadow: true, latency: Math.Round(random.NextDouble() * 50, 3)));
            }
        }

        await Stores.Predictions.AppendAsync(answers, CancellationToken.None);
        var labels = Enumerable.Range(0, 1500).Where(_ => random.NextDouble() < 0.7)
            .Select(i => FeedbackLabel.ForPrediction($"p-{i}", Math.Round(random.NextDouble() * 100, 3).ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Append(FeedbackLabel.ForPrediction("p-400", "not a number"))
            .ToList();
        await AddAsync(model, [.. labels]);
        var since = Sample.T0.AddSeconds(300);

        var report = await IOnlineMetrics.Create(Stores.Feedback, TimeProvider.System).ComputeAsync(model, since, CancellationToken.None);

        var stored = labels.GroupBy(l => l.PredictionId!).ToDictionary(g => g.Key, g => g.First().Label);
        var window = answers.Where(a => a.At >= since).ToList();
        var returned = window.Count(a => !a.Shadow);
        Assert.That(report.Requests, Is.EqualTo(returned));
        Assert.That(report.Versions.Select(v => v.Alias), Is.EqualTo(new[] { "production", "canary", "shadow" }));
        foreach (var group in window.GroupBy(a => (a.Alias, a.Version)))
        {
            var errors = group.Where(a => stored.ContainsKey(a.PredictionId!) && double.TryParse(stored[a.PredictionId!], System.Globalization.CultureInfo.InvariantCulture, out _))
                .Select(a => double.Parse(a.PredictionJson[9..^1], System.Globalization.CultureInfo.InvariantCulture) - double.Parse(stored[a.PredictionId!], System.Globalization.CultureInfo.InvariantCulture))
                .ToList();
            var latencies = group.Select(a => a.LatencyMilliseconds).Order().ToList();
            var online = report.Find(group.Key.Alias, group.Key.Version)!;
            Assert.That(online.Requests, Is.EqualTo(group.Count()));
            Assert.That(online.TrafficShare, Is.EqualTo((double)group.Count() / returned).Within(1e-12));
            Assert.That(online.Labelled, Is.EqualTo(errors.Count));
            Assert.That(online.Metrics["rmse"], Is.EqualTo(Math.Sqrt(errors.Sum(e => e * e) / errors.Count)).Within(1e-9));
            Assert.That(online.Metrics["mae"], Is.EqualTo(errors.Sum(Math.Abs) / errors.Count).Within(1e-9));
            Assert.That(online.LatencyP50, Is.EqualTo(latencies[(int)Math.Ceiling(0.5 * latencies.Count) - 1]));
            Assert.That(online.LatencyP99, Is.EqualTo(latencies[(int)Math.Ceiling(0.99 * latencies.Count) - 1]));
        }
    }
}
