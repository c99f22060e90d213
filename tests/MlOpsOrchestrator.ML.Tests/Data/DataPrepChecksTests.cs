using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Tests.Support;
using MlOpsOrchestrator.Runs;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Data;

/// <summary>The step's <c>checks:</c> and the missing-value policies.</summary>
[TestFixture]
public sealed class DataPrepChecksTests
{
    private DataPrepHarness _harness = null!;

    [SetUp]
    public void SetUp() => _harness = new DataPrepHarness();

    [TearDown]
    public void TearDown() => _harness.Dispose();

    private static string Weather(string schema = "", string prep = "") =>
        DataPrepHarness.Pipeline($"source: {{ type: csv, path: d.csv }}\ntimestamp: ts\nlabel: label\n{schema}", prep);

    [Test]
    public async Task Execute_FewerRowsThanMinRows_Fails()
    {
        _harness.Write("d.csv", SampleCsv.Weather(40));
        var message = await _harness.FailAsync(Weather(prep: "checks: { min_rows: 500 }"));

        Assert.That(message, Does.Contain("40 rows, fewer than min_rows 500"));
    }

    [Test]
    public async Task Execute_EnoughRows_Passes()
    {
        _harness.Write("d.csv", SampleCsv.Weather(500));
        await _harness.SucceedAsync(Weather(prep: "checks: { min_rows: 500 }"));
    }

    [Test]
    public async Task Execute_TooManyMissing_FailsPerColumn()
    {
        _harness.Write("d.csv", SampleCsv.Of("ts,temp,city,label", 100, i => $"{SampleCsv.Hour(i)},{(i % 10 == 0 ? "" : "4")},Oslo,{i}"));
        var message = await _harness.FailAsync(Weather("schema:\n  temp: { type: float, missing: mean }", "checks: { max_missing_fraction: 0.05 }"));

        Assert.That(message, Does.Contain("column 'temp': 10.0 % of values are missing (10 of 100 rows), above max_missing_fraction 5.0 %"));
    }

    [Test]
    public async Task Execute_EmptyTextAndUnusedColumns_NeitherMissingNorFailing()
    {
        // An empty comment is an empty text; 'spare' is no train step's feature, so its gaps do not matter.
        _harness.Write("d.csv", SampleCsv.Of("ts,temp,comment,spare,label", 100, i => $"{SampleCsv.Hour(i)},{i % 7},{(i % 2 == 0 ? "" : $"note {i}")},{(i % 3 == 0 ? "" : "1")},{i}"));
        var outcome = await _harness.SucceedAsync(DataPrepHarness.Pipeline(
            "source: { type: csv, path: d.csv }\ntimestamp: ts\nlabel: label\nschema:\n  comment: { type: text }",
            "checks: { max_missing_fraction: 0.01 }",
            "task: regression\ntrainer: fast_tree\nfeatures: [temp, comment]"));

        Assert.That(outcome.Prep().Rows, Is.EqualTo(100));
    }

    [Test]
    public async Task Execute_TooManyDuplicates_FailsNamingTheFirst()
    {
        _harness.Write("d.csv", SampleCsv.Of("temp,city,label", 100, i => $"{(i < 10 ? 0 : i)},Oslo,{(i < 10 ? 0 : i)}"));
        var message = await _harness.FailAsync(DataPrepHarness.Pipeline(
            "source: { type: csv, path: d.csv }\nlabel: label", "checks: { max_duplicate_fraction: 0.05 }"));

        Assert.That(message, Does.Contain("9.0 % of rows (9 of 100) repeat an earlier row, above max_duplicate_fraction 5.0 % (the first: row 2 (line 3) repeats row 1 (line 2))"));
    }

    [Test]
    public async Task Execute_DropPolicy_DropsRowsWithMissingValues()
    {
        _harness.Write("d.csv", SampleCsv.Of("ts,temp,city,label", 100, i => $"{SampleCsv.Hour(i)},{(i % 4 == 0 ? "?" : "3")},Oslo,{i}"));
        var outcome = await _harness.SucceedAsync(Weather("schema:\n  temp: { type: float, missing: drop }"));

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Prep().Rows, Is.EqualTo(75));
            Assert.That(outcome.Metrics["rows_dropped"], Is.EqualTo(25));
        });
    }

    [Test]
    public async Task Execute_MeanPolicy_KeepsNaNForTheModel()
    {
        _harness.Write("d.csv", SampleCsv.Of("ts,temp,city,label", 100, i => $"{SampleCsv.Hour(i)},{(i % 4 == 0 ? "" : "3")},Oslo,{i}"));
        var outcome = await _harness.SucceedAsync(Weather("schema:\n  temp: { type: float, missing: mean }"));

        var prepared = _harness.Prepared(outcome);
        var temps = DataViewReader.Column<float>(prepared.Train, "temp").Concat(DataViewReader.Column<float>(prepared.Test, "temp")).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(temps, Has.Count.EqualTo(100));
            Assert.That(temps.Count(float.IsNaN), Is.EqualTo(25));
        });
    }

    [Test]
    public async Task Execute_BooleanAndDatetimeMean_FilledBecauseTheirTypesHaveNoMissingValue()
    {
        _harness.Write("d.csv", "flag,day,label\ntrue,2024-01-01,1\ntrue,,2\n,2024-01-03,3\nfalse,2024-01-05,4\n");
        var outcome = await _harness.SucceedAsync(DataPrepHarness.Pipeline(
            "source: { type: csv, path: d.csv }\nlabel: label\nschema:\n  flag: { type: boolean, missing: mean }\n  day: { type: datetime, missing: mean }",
            "split: { test_fraction: 0.25, seed: 3 }"));

        var prepared = _harness.Prepared(outcome);
        var flags = DataViewReader.Column<bool>(prepared.Train, "flag").Concat(DataViewReader.Column<bool>(prepared.Test, "flag"));
        var days = DataViewReader.Column<DateTime>(prepared.Train, "day").Concat(DataViewReader.Column<DateTime>(prepared.Test, "day"));
        Assert.Multiple(() =>
        {
            Assert.That(flags.Count(f => f), Is.EqualTo(3), "the missing flag takes the more frequent value, true");
            Assert.That(days, Does.Contain(new DateTime(2024, 1, 3)), "the missing day is the mean of Jan 1, 3 and 5");
        });
    }
}
