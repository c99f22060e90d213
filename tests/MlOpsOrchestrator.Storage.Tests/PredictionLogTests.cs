using System.Diagnostics;
using System.Globalization;
using MlOpsOrchestrator.Storage.Tests.Support;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;

namespace MlOpsOrchestrator.Storage.Tests;

[TestFixtureSource(typeof(StoreEngines), nameof(StoreEngines.All))]
public sealed class PredictionLogTests(StoreEngine engine) : StoreFixture(engine)
{
    [Test]
    public async Task AppendAsync_ThenReadAsync_RoundTripsEveryFieldInUtcMicroseconds()
    {
        var model = Sample.Name("taxi-fare");
        var localWithTicks = new DateTimeOffset(2026, 3, 14, 4, 26, 53, 589, 793, TimeSpan.FromHours(-5)).AddTicks(9);
        PredictionRecord[] written =
        [
            new(model, 7, localWithTicks, MonitoringSample.FeaturesJson, MonitoringSample.PredictionJson, 0.123456789012345),
            new(model, 8, Sample.T0.AddSeconds(1), "{ \"b\": 1,\n  \"a\": [1.0, 2e3] }", "[\"cat\",0.25]", 0),
        ];

        await Stores.Predictions.AppendAsync(written, CancellationToken.None);

        var read = await Stores.Predictions.ReadAsync(model, Sample.T0, 10, CancellationToken.None);
        Assert.That(read, Is.EqualTo(new[] { written[0] with { At = Sample.T0 }, written[1] }));
        Assert.That(read.Select(r => r.At.Offset), Is.All.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public async Task AppendAsync_KeepsAliasIdAndKey_AndReadAsyncLeavesShadowAnswersOut()
    {
        var model = Sample.Name("taxi-fare");
        PredictionRecord[] written =
        [
            new(model, 3, Sample.T0, "{}", "{\"score\":1}", 1, "production", "p-1", "rider-9"),
            new(model, 4, Sample.T0, "{}", "{\"score\":2}", 1, "shadow", "p-1", "rider-9", Shadow: true),
            new(model, 5, Sample.T0.AddSeconds(1), "{}", "{\"score\":3}", 1, "canary", "p-2"),
            new(model, 3, Sample.T0.AddSeconds(2), "{}", "{\"score\":4}", 1),
        ];

        await Stores.Predictions.AppendAsync(written, CancellationToken.None);

        var read = await Stores.Predictions.ReadAsync(model, Sample.T0, 10, CancellationToken.None);
        Assert.That(read, Is.EqualTo(new[] { written[0], written[2], written[3] }), "the shadow answer was never returned: monitoring sees each request once");
        Assert.That(read[2].Alias, Is.EqualTo(PredictionRecord.DefaultAlias));
    }

    [Test]
    public async Task ReadAsync_Since_IsInclusiveAndKeepsOtherModelsOut()
    {
        var taxi = Sample.Name("taxi-fare");
        var iris = Sample.Name("iris");
        await Stores.Predictions.AppendAsync(
        [
            MonitoringSample.Prediction(taxi, Sample.T0, latency: 1),
            MonitoringSample.Prediction(iris, Sample.T0.AddSeconds(1), latency: 2),
            MonitoringSample.Prediction(taxi, Sample.T0.AddSeconds(1), latency: 3),
            MonitoringSample.Prediction(taxi, Sample.T0.AddSeconds(2), latency: 4),
        ], CancellationToken.None);

        var atBoundary = await Stores.Predictions.ReadAsync(taxi, Sample.T0.AddSeconds(1), 100, CancellationToken.None);
        var justAfter = await Stores.Predictions.ReadAsync(taxi, Sample.T0.AddSeconds(1).AddMicroseconds(1), 100, CancellationToken.None);
        var everything = await Stores.Predictions.ReadAsync(taxi, DateTimeOffset.MinValue, 100, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(atBoundary.Select(r => r.LatencyMilliseconds), Is.EqualTo(new[] { 3.0, 4.0 }));
            Assert.That(justAfter.Select(r => r.LatencyMilliseconds), Is.EqualTo(new[] { 4.0 }));
            Assert.That(everything.Select(r => r.LatencyMilliseconds), Is.EqualTo(new[] { 1.0, 3.0, 4.0 }));
            Assert.That(await Stores.Predictions.ReadAsync(taxi, Sample.T0.AddDays(1), 100, CancellationToken.None), Is.Empty);
        }
    }

    [Test]
    public async Task ReadAsync_Limit_KeepsTheNewestAndReturnsThemOldestFirstTiesInAppendOrder()
    {
        var model = Sample.Name("taxi-fare");
        int[] appendOrder = [5, 2, 7, 0, 3, 6, 1, 4];
        var records = appendOrder.Select(s => MonitoringSample.Prediction(model, Sample.T0.AddSeconds(s), latency: s)).ToList();
        records.Add(MonitoringSample.Prediction(model, Sample.T0.AddSeconds(8), version: 1, latency: 8));
        records.Add(MonitoringSample.Prediction(model, Sample.T0.AddSeconds(8), version: 2, latency: 8));
        await Stores.Predictions.AppendAsync(records[..5], CancellationToken.None);
        await Stores.Predictions.AppendAsync(records[5..], CancellationToken.None);

        var newest = await Stores.Predictions.ReadAsync(model, Sample.T0, 4, CancellationToken.None);
        var newestSince = await Stores.Predictions.ReadAsync(model, Sample.T0.AddSeconds(6), 100, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(newest.Select(r => (r.LatencyMilliseconds, r.Version)), Is.EqualTo(new[] { (6.0, 3), (7.0, 3), (8.0, 1), (8.0, 2) }));
            Assert.That(newestSince.Select(r => r.LatencyMilliseconds), Is.EqualTo(new[] { 6.0, 7, 8, 8 }));
            Assert.That(await Stores.Predictions.ReadAsync(model, Sample.T0, 0, CancellationToken.None), Is.Empty);
        }

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Stores.Predictions.ReadAsync(model, Sample.T0, -1, CancellationToken.None));
    }

    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    [TestCase(double.NegativeInfinity)]
    [TestCase(-0.5)]
    public async Task AppendAsync_LatencyNotAFiniteNonNegativeNumber_RefusesTheWholeBatch(double latency)
    {
        var model = Sample.Name("taxi-fare");
        var records = MonitoringSample.Predictions(model, 3).ToList();
        records[2] = records[2] with { LatencyMilliseconds = latency };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Stores.Predictions.AppendAsync(records, CancellationToken.None));

        Assert.That(error.Message, Does.Contain("record 2").And.Contain("latency"));
        Assert.That(await Stores.Predictions.ReadAsync(model, DateTimeOffset.MinValue, 100, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task AppendAsync_EmptyBatch_WritesNothing()
    {
        await Stores.Predictions.AppendAsync([], CancellationToken.None);

        Assert.That(await Stores.Predictions.ReadAsync(Sample.Name("taxi-fare"), DateTimeOffset.MinValue, 100, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task AppendAsync_ThousandRecords_OneQuickBatchThatReadsBackInOrder()
    {
        var model = Sample.Name("taxi-fare");
        await Stores.Predictions.AppendAsync(MonitoringSample.Predictions(Sample.Name("warm"), 1), CancellationToken.None);
        var records = MonitoringSample.Predictions(model, 1000);

        var clock = Stopwatch.StartNew();
        await Stores.Predictions.AppendAsync(records, CancellationToken.None);
        clock.Stop();

        await TestContext.Progress.WriteLineAsync(
            string.Create(CultureInfo.InvariantCulture, $"{Engine}: appended 1,000 predictions in {clock.Elapsed.TotalMilliseconds:0.0} ms"));
        var read = await Stores.Predictions.ReadAsync(model, Sample.T0, 5000, CancellationToken.None);
        Assert.That(read, Is.EqualTo(records));
    }

    [Test]
    public async Task AppendAsync_TwoStoreInstancesAtOnce_EveryRecordKept()
    {
        var model = Sample.Name("taxi-fare");
        var other = await OpenAnotherAsync();
        const int Batches = 5;
        const int PerBatch = 200;

        // Microsoft.Data.Sqlite completes its "async" calls synchronously: each writer gets its own thread, as a process would.
        await Task.WhenAll(
            Task.Run(() => AppendBatchesAsync(Stores.Predictions, 1)),
            Task.Run(() => AppendBatchesAsync(other.Predictions, 2)));

        var read = await Stores.Predictions.ReadAsync(model, DateTimeOffset.MinValue, 10_000, CancellationToken.None);
        Assert.That(read, Has.Count.EqualTo(2 * Batches * PerBatch));
        Assert.That(read.Select(r => (r.Version, r.LatencyMilliseconds)).Distinct().Count(), Is.EqualTo(2 * Batches * PerBatch));
        Assert.That(read.Select(r => r.At), Is.Ordered);

        async Task AppendBatchesAsync(IPredictionLog log, int version)
        {
            for (var b = 0; b < Batches; b++)
            {
                var batch = MonitoringSample.Predictions(model, PerBatch)
                    .Select(r => r with { Version = version, LatencyMilliseconds = r.LatencyMilliseconds + (b * PerBatch), At = r.At.AddSeconds(b) })
                    .ToList();
                await log.AppendAsync(batch, CancellationToken.None);
            }
        }
    }
}
