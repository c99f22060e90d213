using System.Diagnostics;
using System.Globalization;
using MlOpsOrchestrator.Storage.Evaluations;
using MlOpsOrchestrator.Storage.Sql;
using MlOpsOrchestrator.Storage.Tests.Support;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;

namespace MlOpsOrchestrator.Storage.Tests;

[TestFixtureSource(typeof(StoreEngines), nameof(StoreEngines.All))]
public sealed class EvaluationStoreTests(StoreEngine engine) : StoreFixture(engine)
{
    [Test]
    public async Task AppendAsync_ThenReadAsync_RoundTripsEveryFieldInUtcMicroseconds()
    {
        var pipeline = Sample.Name("taxi");
        var localWithTicks = new DateTimeOffset(2026, 3, 14, 11, 26, 53, 589, 793, TimeSpan.FromHours(2)).AddTicks(7);
        EvaluationPoint[] written =
        [
            new(pipeline, "taxi-fare", 7, "run-a", "monitor", "drift.psi.temp", 0.12345678901234567, localWithTicks),
            new(pipeline, "", null, "run-b", "watch", "verdict.drift", 1, Sample.T0.AddSeconds(1)),
        ];

        await Stores.Evaluations.AppendAsync(written, CancellationToken.None);

        var read = await Stores.Evaluations.ReadAsync(pipeline, null, null, 10, CancellationToken.None);
        Assert.That(read, Is.EqualTo(new[] { written[0] with { At = Sample.T0 }, written[1] }));
        Assert.That(read.Select(p => p.At.Offset), Is.All.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public async Task AppendAsync_NaNAndInfinities_RoundTripWithNaNStoredAsNull()
    {
        var pipeline = Sample.Name("taxi");
        double[] values =
        [
            double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, double.MinValue,
            double.Epsilon, 0.1 + 0.2, -1e-300, 0, 42,
        ];
        var points = values.Select((v, i) => MonitoringSample.Point(pipeline, $"metric.m{i}", v, Sample.T0.AddSeconds(i))).ToList();

        await Stores.Evaluations.AppendAsync(points, CancellationToken.None);

        var read = await Stores.Evaluations.ReadAsync(pipeline, null, null, 100, CancellationToken.None);
        Assert.That(read.Select(p => p.Value), Is.EqualTo(values));
        Assert.That(BitConverter.DoubleToInt64Bits(read[5].Value), Is.EqualTo(BitConverter.DoubleToInt64Bits(double.Epsilon)));
        Assert.That(await CountNullValuesAsync(pipeline), Is.EqualTo(1), "NaN is NULL in the table of either engine");
    }

    [TestCase(null, new[] { "DRIFT.psi.wind", "drift%share", "drift.ks.temp", "drift.psi.humidity", "drift.psi.temp", "drift.psi.temperature", "drift.psi.température", "drift\\psi", "driftApsi.x", "drift_psi.x", "metric.rmse" })]
    [TestCase("", new[] { "DRIFT.psi.wind", "drift%share", "drift.ks.temp", "drift.psi.humidity", "drift.psi.temp", "drift.psi.temperature", "drift.psi.température", "drift\\psi", "driftApsi.x", "drift_psi.x", "metric.rmse" })]
    [TestCase("drift.psi.", new[] { "drift.psi.humidity", "drift.psi.temp", "drift.psi.temperature", "drift.psi.température" })]
    [TestCase("drift.", new[] { "drift.ks.temp", "drift.psi.humidity", "drift.psi.temp", "drift.psi.temperature", "drift.psi.température" })]
    [TestCase("drift.psi.temp", new[] { "drift.psi.temp", "drift.psi.temperature", "drift.psi.température" })]
    [TestCase("drift.psi.tempé", new[] { "drift.psi.température" })]
    [TestCase("drift.psi.tempÉ", new string[0])]
    [TestCase("drift_", new[] { "drift_psi.x" })]
    [TestCase("drift_psi", new[] { "drift_psi.x" })]
    [TestCase("drift%", new[] { "drift%share" })]
    [TestCase("drift\\", new[] { "drift\\psi" })]
    [TestCase("DRIFT.", new[] { "DRIFT.psi.wind" })]
    [TestCase("metric.rmse", new[] { "metric.rmse" })]
    [TestCase("metric.rmse.", new string[0])]
    [TestCase("%", new string[0])]
    [TestCase("_", new string[0])]
    public async Task ReadAsync_SeriesPrefix_MatchesLiterallyAndCaseSensitively(string? prefix, string[] expected)
    {
        var pipeline = Sample.Name("taxi");
        await Stores.Evaluations.AppendAsync(AllSeries(pipeline), CancellationToken.None);

        var read = await Stores.Evaluations.ReadAsync(pipeline, prefix, null, 100, CancellationToken.None);

        Assert.That(read.Select(p => p.Series).Order(StringComparer.Ordinal), Is.EqualTo(expected.Order(StringComparer.Ordinal)));
    }

    [TestCase("drift_", "drift_psi", true)]
    [TestCase("drift_", "driftApsi", false)]
    [TestCase("drift%", "drift%share", true)]
    [TestCase("drift%", "drift.psi", false)]
    [TestCase("drift\\", "drift\\psi", true)]
    [TestCase("drift\\", "drift_psi", false)]
    [TestCase("a\\_%b", "a\\_%bc", true)]
    [TestCase("a\\_%b", "a\\x%bc", false)]
    [TestCase("drift.psi", "drift.psi", true)]
    [TestCase("drift.psi", "drift.ps", false)]
    public async Task LikePrefix_InThisEngine_MatchesTheLiteralPrefixOnly(string prefix, string series, bool matches)
    {
        await using var sqlEngine = Target.CreateEngine();
        await using var connection = await sqlEngine.OpenAsync(CancellationToken.None);
        await using var command = connection
            .Command("SELECT CASE WHEN @series LIKE @pattern ESCAPE '\\' THEN 1 ELSE 0 END")
            .With("@series", series)
            .With("@pattern", SqlEvaluationStore.LikePrefix(prefix));

        Assert.That(Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) == 1, Is.EqualTo(matches));
    }

    [Test]
    public async Task ReadAsync_Since_IsInclusiveAndCombinesWithThePrefix()
    {
        var pipeline = Sample.Name("taxi");
        await Stores.Evaluations.AppendAsync(
        [
            MonitoringSample.Point(pipeline, "drift.psi.temp", 1, Sample.T0),
            MonitoringSample.Point(pipeline, "drift.psi.temp", 2, Sample.T0.AddSeconds(1)),
            MonitoringSample.Point(pipeline, "metric.rmse", 3, Sample.T0.AddSeconds(1)),
            MonitoringSample.Point(pipeline, "drift.psi.temp", 4, Sample.T0.AddSeconds(2)),
        ], CancellationToken.None);

        var atBoundary = await Stores.Evaluations.ReadAsync(pipeline, null, Sample.T0.AddSeconds(1), 100, CancellationToken.None);
        var justAfter = await Stores.Evaluations.ReadAsync(pipeline, null, Sample.T0.AddSeconds(1).AddMicroseconds(1), 100, CancellationToken.None);
        var withPrefix = await Stores.Evaluations.ReadAsync(pipeline, "drift.", Sample.T0.AddSeconds(1), 100, CancellationToken.None);
        var otherOffset = await Stores.Evaluations.ReadAsync(pipeline, null, Sample.T0.AddSeconds(1).ToOffset(TimeSpan.FromHours(-5)), 100, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(atBoundary.Select(p => p.Value), Is.EqualTo(new[] { 2.0, 3.0, 4.0 }));
            Assert.That(justAfter.Select(p => p.Value), Is.EqualTo(new[] { 4.0 }));
            Assert.That(withPrefix.Select(p => p.Value), Is.EqualTo(new[] { 2.0, 4.0 }));
            Assert.That(otherOffset.Select(p => p.Value), Is.EqualTo(new[] { 2.0, 3.0, 4.0 }));
        }
    }

    [Test]
    public async Task ReadAsync_Limit_KeepsTheNewestAndReturnsThemOldestFirstTiesInAppendOrder()
    {
        var pipeline = Sample.Name("taxi");
        int[] appendOrder = [5, 2, 7, 0, 3, 6, 1, 4];
        var points = appendOrder.Select(s => MonitoringSample.Point(pipeline, "drift.psi.temp", s, Sample.T0.AddSeconds(s))).ToList();
        points.Add(MonitoringSample.Point(pipeline, "verdict.first", 8, Sample.T0.AddSeconds(8)));
        points.Add(MonitoringSample.Point(pipeline, "verdict.second", 8, Sample.T0.AddSeconds(8)));
        await Stores.Evaluations.AppendAsync(points[..5], CancellationToken.None);
        await Stores.Evaluations.AppendAsync(points[5..], CancellationToken.None);

        var newest = await Stores.Evaluations.ReadAsync(pipeline, null, null, 4, CancellationToken.None);
        var all = await Stores.Evaluations.ReadAsync(pipeline, null, null, 1000, CancellationToken.None);
        var newestTemp = await Stores.Evaluations.ReadAsync(pipeline, "drift.", Sample.T0.AddSeconds(2), 3, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(newest.Select(p => p.Series), Is.EqualTo(new[] { "drift.psi.temp", "drift.psi.temp", "verdict.first", "verdict.second" }));
            Assert.That(newest.Select(p => p.At), Is.EqualTo(new[] { 6, 7, 8, 8 }.Select(s => Sample.T0.AddSeconds(s))));
            Assert.That(all.Select(p => p.Value), Is.EqualTo(new[] { 0.0, 1, 2, 3, 4, 5, 6, 7, 8, 8 }));
            Assert.That(newestTemp.Select(p => p.Value), Is.EqualTo(new[] { 5.0, 6, 7 }));
        }
    }

    [Test]
    public async Task ReadAsync_LimitZeroOrNegative_EmptyOrRefused()
    {
        var pipeline = Sample.Name("taxi");
        await Stores.Evaluations.AppendAsync(MonitoringSample.Points(pipeline, 3), CancellationToken.None);

        Assert.That(await Stores.Evaluations.ReadAsync(pipeline, null, null, 0, CancellationToken.None), Is.Empty);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Stores.Evaluations.ReadAsync(pipeline, null, null, -1, CancellationToken.None));
    }

    [Test]
    public async Task ReadAsync_OtherPipeline_NotReturned()
    {
        var taxi = Sample.Name("taxi");
        var iris = Sample.Name("iris");
        await Stores.Evaluations.AppendAsync(
            [MonitoringSample.Point(taxi, "metric.rmse", 2.5, Sample.T0), MonitoringSample.Point(iris, "metric.rmse", 0.1, Sample.T0)],
            CancellationToken.None);

        var read = await Stores.Evaluations.ReadAsync(taxi, null, null, 100, CancellationToken.None);

        Assert.That(read.Select(p => (p.Pipeline, p.Value)), Is.EqualTo(new[] { (taxi, 2.5) }));
        Assert.That(await Stores.Evaluations.ReadAsync(Sample.Name("none"), null, null, 100, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task AppendAsync_EmptyBatch_WritesNothing()
    {
        var pipeline = Sample.Name("taxi");

        await Stores.Evaluations.AppendAsync([], CancellationToken.None);

        Assert.That(await Stores.Evaluations.ReadAsync(pipeline, null, null, 100, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task AppendAsync_OneInvalidPoint_RefusesTheWholeBatch()
    {
        var pipeline = Sample.Name("taxi");
        var points = MonitoringSample.Points(pipeline, 3).ToList();
        points[1] = points[1] with { Series = " " };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Stores.Evaluations.AppendAsync(points, CancellationToken.None));

        Assert.That(error.Message, Does.Contain("point 1").And.Contain("series"));
        Assert.That(await Stores.Evaluations.ReadAsync(pipeline, null, null, 100, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task AppendAsync_ThousandPoints_OneQuickBatchThatReadsBackInOrder()
    {
        var pipeline = Sample.Name("taxi");
        await Stores.Evaluations.AppendAsync(MonitoringSample.Points(Sample.Name("warm"), 1), CancellationToken.None);
        var points = MonitoringSample.Points(pipeline, 1000);

        var clock = Stopwatch.StartNew();
        await Stores.Evaluations.AppendAsync(points, CancellationToken.None);
        clock.Stop();

        await TestContext.Progress.WriteLineAsync(
            string.Create(CultureInfo.InvariantCulture, $"{Engine}: appended 1,000 evaluation points in {clock.Elapsed.TotalMilliseconds:0.0} ms"));
        var read = await Stores.Evaluations.ReadAsync(pipeline, null, null, 5000, CancellationToken.None);
        Assert.That(read, Is.EqualTo(points));
    }

    [Test]
    public async Task AppendAsync_TwoStoreInstancesAtOnce_EveryPointKept()
    {
        var pipeline = Sample.Name("taxi");
        var other = await OpenAnotherAsync();
        const int Batches = 5;
        const int PerBatch = 200;

        // Microsoft.Data.Sqlite completes its "async" calls synchronously: each writer gets its own thread, as a process would.
        await Task.WhenAll(
            Task.Run(() => AppendBatchesAsync(Stores.Evaluations, "run-a")),
            Task.Run(() => AppendBatchesAsync(other.Evaluations, "run-b")));

        var read = await Stores.Evaluations.ReadAsync(pipeline, null, null, 10_000, CancellationToken.None);
        Assert.That(read, Has.Count.EqualTo(2 * Batches * PerBatch));
        Assert.That(read.Select(p => (p.RunId, p.Value)).Distinct().Count(), Is.EqualTo(2 * Batches * PerBatch));
        Assert.That(read.Select(p => p.At), Is.Ordered);

        async Task AppendBatchesAsync(IEvaluationStore store, string runId)
        {
            for (var b = 0; b < Batches; b++)
            {
                var batch = MonitoringSample.Points(pipeline, PerBatch, runId)
                    .Select(p => p with { Value = p.Value + (b * PerBatch), At = p.At.AddSeconds(b) })
                    .ToList();
                await store.AppendAsync(batch, CancellationToken.None);
            }
        }
    }

    private static List<EvaluationPoint> AllSeries(string pipeline) =>
    [
        .. new[]
        {
            "drift.psi.temp", "drift.psi.temperature", "drift.psi.température", "drift.psi.humidity", "drift.ks.temp",
            "metric.rmse", "DRIFT.psi.wind", "drift_psi.x", "driftApsi.x", "drift%share", "drift\\psi",
        }.Select((s, i) => MonitoringSample.Point(pipeline, s, i, Sample.T0.AddSeconds(i))),
    ];

    private async Task<long> CountNullValuesAsync(string pipeline)
    {
        await using var sqlEngine = Target.CreateEngine();
        await using var connection = await sqlEngine.OpenAsync(CancellationToken.None);
        await using var command = connection
            .Command($"SELECT COUNT(*) FROM {sqlEngine.Table("evaluation_points")} WHERE pipeline = @pipeline AND value IS NULL")
            .With("@pipeline", pipeline);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
