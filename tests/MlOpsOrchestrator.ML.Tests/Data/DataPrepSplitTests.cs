using System.Globalization;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Steps.DataPrep;
using MlOpsOrchestrator.ML.Tests.Support;
using MlOpsOrchestrator.Runs;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Data;

[TestFixture]
public sealed class DataPrepSplitTests
{
    private DataPrepHarness _harness = null!;

    [SetUp]
    public void SetUp() => _harness = new DataPrepHarness();

    [TearDown]
    public void TearDown() => _harness.Dispose();

    private static string Pipeline(string split) =>
        DataPrepHarness.Pipeline("source: { type: csv, path: d.csv }\ntimestamp: ts\nlabel: label", $"split: {split}");

    private List<string> TestTimes(StepOutcome outcome) =>
        DataViewReader.Column<DateTime>(_harness.Prepared(outcome).Test, "ts").Select(t => t.ToString("O", CultureInfo.InvariantCulture)).ToList();

    [Test]
    public async Task Execute_RandomSplitSameSeed_SameRowsAndHash()
    {
        _harness.Write("d.csv", SampleCsv.Weather(200));
        var first = await _harness.SucceedAsync(Pipeline("{ by: random, test_fraction: 0.25, seed: 5 }"));
        var second = await _harness.SucceedAsync(Pipeline("{ by: random, test_fraction: 0.25, seed: 5 }"));
        var other = await _harness.SucceedAsync(Pipeline("{ by: random, test_fraction: 0.25, seed: 6 }"));

        Assert.Multiple(() =>
        {
            Assert.That(first.Prep().TestRows, Is.EqualTo(50));
            Assert.That(TestTimes(second), Is.EqualTo(TestTimes(first)));
            Assert.That(TestTimes(other), Is.Not.EqualTo(TestTimes(first)));
            Assert.That(other.Prep().DataHash, Is.EqualTo(first.Prep().DataHash), "the hash is of the data, not of the split");
        });
    }

    [Test]
    public async Task Execute_TimeSplit_OldestTrainNewestTest()
    {
        // Rows out of time order in the file: the split orders them by timestamp.
        _harness.Write("d.csv", SampleCsv.Of("ts,temp,city,label", 100, i => $"{SampleCsv.Hour((i * 37) % 100)},{i % 9},Oslo,{i}"));
        var outcome = await _harness.SucceedAsync(Pipeline("{ by: time, test_fraction: 0.2 }"));

        var prepared = _harness.Prepared(outcome);
        var train = DataViewReader.Column<DateTime>(prepared.Train, "ts");
        var test = DataViewReader.Column<DateTime>(prepared.Test, "ts");
        Assert.Multiple(() =>
        {
            Assert.That(test, Has.Count.EqualTo(20));
            Assert.That(train.Max(), Is.LessThan(test.Min()));
            Assert.That(test.Min(), Is.EqualTo(new DateTime(2024, 1, 1).AddHours(80)));
            Assert.That(test, Is.Ordered);
        });
    }

    [TestCase(10, 0.2, 2)]
    [TestCase(3, 0.2, 1)]
    [TestCase(2, 0.9, 1)]
    [TestCase(1, 0.2, 0)]
    [TestCase(13949, 0.2, 2790)]
    public void TestCount_RowsAndFraction_AtLeastOneNeverAll(int rows, double fraction, int expected) =>
        Assert.That(DataSplitter.TestCount(rows, fraction), Is.EqualTo(expected));

    [Test]
    public async Task Execute_TestSource_TrainsOnEverySourceRow()
    {
        _harness.Write("d.csv", SampleCsv.Weather(30));
        _harness.Write("t.csv", SampleCsv.Weather(7));
        var outcome = await _harness.SucceedAsync(DataPrepHarness.Pipeline(
            "source: { type: csv, path: d.csv }\ntest_source: { type: csv, path: t.csv }\ntimestamp: ts\nlabel: label"));

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Prep().TrainRows, Is.EqualTo(30));
            Assert.That(outcome.Prep().TestRows, Is.EqualTo(7));
        });
    }
}
