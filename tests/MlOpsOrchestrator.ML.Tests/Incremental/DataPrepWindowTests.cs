using Microsoft.ML;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Steps.DataPrep;
using MlOpsOrchestrator.ML.Tests.Data;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.TestSupport;
using Npgsql;
using MlOpsOrchestrator.ML.Tests.Support;
using MlOpsOrchestrator.Runs;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Incremental;

/// <summary>The data_prep side of <c>strategy: window</c>: what is read, what is the slice, and what the window holds.</summary>
[TestFixture]
public sealed class DataPrepWindowTests
{
    private const string Name = "data-test";
    private const string WindowTrain = "task: regression\ntrainer: sdca\nincremental: { strategy: window, window: 1d }";
    private DataPrepHarness _harness = null!;

    [SetUp]
    public void SetUp() => _harness = new DataPrepHarness();

    [TearDown]
    public void TearDown() => _harness.Dispose();

    private static string Csv(string split) =>
        DataPrepHarness.Pipeline("source: { type: csv, path: d.csv }\ntimestamp: ts\nlabel: label\nschema:\n  city: { type: categorical }", split, WindowTrain);

    [Test]
    public async Task Execute_RandomSplit_WindowHoldsEveryRowOfTheDayExceptTheTestRows()
    {
        // 100 hourly rows; the watermark at hour 89 leaves a 10-row slice (2 test rows, drawn at random).
        _harness.Write("d.csv", SampleCsv.Weather(100));
        await _harness.Watermarks.SetAsync(Name, new DateTimeOffset(2024, 1, 4, 17, 0, 0, TimeSpan.Zero), "run-0", default);

        var outcome = await _harness.SucceedAsync(Csv("split: { by: random, test_fraction: 0.2, seed: 1 }"), RunMode.Incremental);

        var prepared = _harness.Prepared(outcome);
        var test = DataViewReader.Column<DateTime>(prepared.Test, "ts");
        var window = _harness.Ml.Data.LoadFromBinary(_harness.Artifacts.PathOf(outcome.Artifacts[IncrementalWindow.Artifact]));
        var windowTimes = DataViewReader.Column<DateTime>(window, "ts");
        var newest = new DateTime(2024, 1, 5, 3, 0, 0, DateTimeKind.Utc);
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Prep().Rows, Is.EqualTo(10));
            Assert.That(outcome.Prep().TestRows, Is.EqualTo(2));
            Assert.That(TypedResults.Iso(outcome.Prep().Watermark), Is.EqualTo("2024-01-05T03:00:00Z"));
            Assert.That(TypedResults.Iso(outcome.Prep().WindowStart), Is.EqualTo("2024-01-04T03:00:00Z"));
            Assert.That(outcome.Prep().WindowRows, Is.EqualTo(23), "25 hours from newest − 1d to newest, less the 2 test rows");
            Assert.That(windowTimes, Has.Count.EqualTo(23));
            Assert.That(windowTimes, Has.All.InRange(newest.AddDays(-1), newest));
            Assert.That(windowTimes.Intersect(test), Is.Empty, "no test row is trained on");
            Assert.That(outcome.Metrics["rows_read"], Is.EqualTo(100));
        });
    }

    [Test]
    public async Task Execute_WindowWiderThanTheData_TakesEveryRowButTheTestRows()
    {
        _harness.Write("d.csv", SampleCsv.Weather(20));

        var outcome = await _harness.SucceedAsync(Csv("split: { by: time, test_fraction: 0.25 }"), RunMode.Incremental);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Prep().Rows, Is.EqualTo(20), "the first incremental run takes every row");
            Assert.That(outcome.Prep().WindowRows, Is.EqualTo(15));
        });
    }

    [Test]
    public async Task Execute_NoWindowStep_WritesNoWindow()
    {
        _harness.Write("d.csv", SampleCsv.Weather(20));
        var pipeline = DataPrepHarness.Pipeline("source: { type: csv, path: d.csv }\ntimestamp: ts\nlabel: label", "", "task: regression\ntrainer: sdca");

        var outcome = await _harness.SucceedAsync(pipeline, RunMode.Incremental);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Artifacts.ContainsKey(IncrementalWindow.Artifact), Is.False);
            Assert.That(outcome.Prep().WindowRows, Is.Null);
        });
    }

    [Test]
    public async Task Execute_NothingNewerThanTheWatermark_IsEmptyEvenWithOlderRowsInTheWindow()
    {
        _harness.Write("d.csv", SampleCsv.Weather(50));
        await _harness.Watermarks.SetAsync(Name, new DateTimeOffset(2024, 1, 3, 1, 0, 0, TimeSpan.Zero), "run-0", default);

        var outcome = await _harness.SucceedAsync(Csv(""), RunMode.Incremental);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Prep().Empty, Is.True);
            Assert.That(outcome.Artifacts, Is.Empty);
        });
    }

    [Test]
    [Category("Postgres")]
    public async Task Execute_PostgresSource_QueryGetsTheWindowStartAsWatermark()
    {
        var server = await PostgresTestEnvironment.RequireAsync();
        var database = await server.CreateDatabaseAsync("data_prep_window");
        _harness.Environment["FEATURES_PG"] = database;
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                """
                create table readings (ts timestamptz not null, temp double precision, city text, label double precision);
                insert into readings
                  select timestamptz '2024-01-01 00:00:00+00' + make_interval(hours => i), i % 30, (array['Oslo', 'Lima', 'Pune'])[i % 3 + 1], i % 30 * 2 + 1
                  from generate_series(0, 99) as i;
                """,
                connection);
            await command.ExecuteNonQueryAsync();
        }

        await _harness.Watermarks.SetAsync(Name, new DateTimeOffset(2024, 1, 4, 23, 0, 0, TimeSpan.Zero), "run-0", default);
        var pipeline = DataPrepHarness.Pipeline(
            "source:\n  type: postgres\n  connection: ${env:FEATURES_PG}\n  query: \"select ts, temp, city, label from readings where ts > @watermark order by ts\"\n"
            + "timestamp: ts\nlabel: label\nschema:\n  city: { type: categorical }",
            "split: { by: time, test_fraction: 0.25 }", WindowTrain);

        var outcome = await _harness.SucceedAsync(pipeline, RunMode.Incremental);

        // @watermark is bound to watermark − 1d: the query returns hours 72..99; the slice is 96..99 (3 train, 1 test);
        // the window is hours 75..99 less the test row.
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Metrics["rows_read"], Is.EqualTo(28));
            Assert.That(outcome.Prep().Rows, Is.EqualTo(4));
            Assert.That(outcome.Prep().WindowRows, Is.EqualTo(24));
            Assert.That(TypedResults.Iso(outcome.Prep().Watermark), Is.EqualTo("2024-01-05T03:00:00Z"));
        });
    }
}
