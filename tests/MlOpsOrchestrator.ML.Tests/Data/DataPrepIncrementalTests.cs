using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.ML.Tests.Support;
using MlOpsOrchestrator.Runs;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Data;

[TestFixture]
public sealed class DataPrepIncrementalTests
{
    private const string Name = "data-test";
    private DataPrepHarness _harness = null!;

    [SetUp]
    public void SetUp() => _harness = new DataPrepHarness();

    [TearDown]
    public void TearDown() => _harness.Dispose();

    private static string Pipeline() =>
        DataPrepHarness.Pipeline("source: { type: csv, path: d.csv }\ntimestamp: ts\nlabel: label\nschema:\n  temp: { type: float }\n  city: { type: categorical }", "checks: { min_rows: 1000 }");

    [Test]
    public async Task Execute_Watermark_PreparesOnlyNewerRows()
    {
        _harness.Write("d.csv", SampleCsv.Weather(100));
        await _harness.Watermarks.SetAsync(Name, new DateTimeOffset(2024, 1, 4, 1, 0, 0, TimeSpan.FromHours(2)), "run-0", default);

        var outcome = await _harness.SucceedAsync(Pipeline(), RunMode.Incremental);

        // 2024-01-03 23:00 UTC is hour 71: rows 72..99 are newer. min_rows does not apply to a slice.
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Prep().Rows, Is.EqualTo(28));
            Assert.That(TypedResults.Iso(outcome.Prep().Watermark), Is.EqualTo("2024-01-05T03:00:00Z"));
            Assert.That(outcome.Prep().Empty, Is.False);
        });
    }

    [Test]
    public async Task Execute_FirstIncrementalRun_TakesEveryRow()
    {
        _harness.Write("d.csv", SampleCsv.Weather(50));
        var outcome = await _harness.SucceedAsync(Pipeline(), RunMode.Incremental);

        Assert.That(outcome.Prep().Rows, Is.EqualTo(50));
    }

    [Test]
    public async Task Execute_NothingNewer_SucceedsEmptyWithoutArtifacts()
    {
        _harness.Write("d.csv", SampleCsv.Weather(50));
        await _harness.Watermarks.SetAsync(Name, new DateTimeOffset(2024, 1, 3, 1, 0, 0, TimeSpan.Zero), "run-0", default);

        var outcome = await _harness.SucceedAsync(Pipeline(), RunMode.Incremental);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Prep().Empty, Is.True);
            Assert.That(outcome.Prep().Rows, Is.EqualTo(0));
            Assert.That(outcome.Artifacts, Is.Empty);
            Assert.That(outcome.Message, Does.Contain("no rows newer than the watermark 2024-01-03T01:00:00Z"));
            Assert.That(ML.Steps.DataPrep.PreparedData.IsEmpty(DataPrepHarness.Record(outcome)), Is.True);
            Assert.That(_harness.Artifacts.Written, Is.Empty);
        });
    }

    [Test]
    public async Task Execute_BadValueBeforeWatermark_NotRevalidated()
    {
        var text = SampleCsv.Weather(50).Replace($"{SampleCsv.Hour(3)},3,", $"{SampleCsv.Hour(3)},warm,", StringComparison.Ordinal);
        _harness.Write("d.csv", text);
        await _harness.Watermarks.SetAsync(Name, new DateTimeOffset(2024, 1, 1, 10, 0, 0, TimeSpan.Zero), "run-0", default);

        var outcome = await _harness.SucceedAsync(Pipeline(), RunMode.Incremental);
        var full = await _harness.RunAsync(Pipeline());

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Prep().Rows, Is.EqualTo(39));
            Assert.That(full.Message, Does.Contain("row 4 (line 5), column 'temp': 'warm' is not a number"));
        });
    }

    [Test]
    public async Task Execute_TimestampsWithOffsets_ComparedInUtc()
    {
        _harness.Write("d.csv", "ts,temp,city,label\n2024-01-01T10:00:00+02:00,1,Oslo,1\n2024-01-01T09:30:00Z,2,Lima,2\n2024-01-01T09:00:00+00:00,3,Pune,3\n");
        await _harness.Watermarks.SetAsync(Name, new DateTimeOffset(2024, 1, 1, 9, 0, 0, TimeSpan.Zero), "run-0", default);

        var outcome = await _harness.SucceedAsync(Pipeline(), RunMode.Incremental);

        // 10:00+02:00 is 08:00Z (old), 09:00Z equals the watermark (old): only 09:30Z is new.
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Prep().Rows, Is.EqualTo(1));
            Assert.That(TypedResults.Iso(outcome.Prep().Watermark), Is.EqualTo("2024-01-01T09:30:00Z"));
        });
    }
}
