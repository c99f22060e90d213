using System.Globalization;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.SampleData;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.ML.Steps.DataPrep;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.ML.Tests.Support;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Incremental;

/// <summary>
/// <c>strategy: window</c> in incremental runs: data_prep reads back as far as the largest window and writes the
/// window's rows (without the slice's test rows); each train step retrains on its own window.
/// </summary>
[TestFixture]
public sealed class WindowRunTests
{
    private static readonly DateTime Start = new(2025, 3, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly BikeRentalsGenerator Bikes = new();

    private IncrementalHarness _harness = null!;

    [SetUp]
    public async Task SetUp() => _harness = await IncrementalHarness.OpenAsync();

    [TearDown]
    public async Task TearDown() => await _harness.DisposeAsync();

    /// <summary>Two window steps (3 and 2 days) evaluated together.</summary>
    private static string Pipeline() => Pipelines.Bikes(
        Pipelines.BikeTrain("wide", "sdca", "{ strategy: window, window: 3d }") + "\n" + Pipelines.BikeTrain("narrow", "sdca", "{ strategy: window, window: 2d }"),
        "wide, narrow");

    [Test]
    public async Task Incremental_Window_EachStepTrainsOnItsNewestWindowWithoutTheTestRows()
    {
        // 20 days of hours, then one more day appended.
        _harness.Write(Pipelines.BikesFile, Bikes, new SampleSettings { Rows = 480, Seed = 3, Start = Start });
        var full = await _harness.RunAsync(Pipeline(), RunMode.Full);
        Assert.That(full.Run.Status, Is.EqualTo(RunStatus.Succeeded), full.Describe());
        _harness.Append(Pipelines.BikesFile, Bikes, new SampleSettings { Rows = 24, Seed = 4, Start = Start.AddHours(480) });

        var run = await _harness.RunAsync(Pipeline(), RunMode.Incremental);

        Assert.That(run.Run.Status, Is.EqualTo(RunStatus.Succeeded), run.Describe());
        var prep = run["prep"];
        var newest = Start.AddHours(503);
        var window = _harness.Dataset(prep, IncrementalWindow.Artifact);
        var times = IncrementalHarness.Times(window, "ts");
        var profile = PreparedData.LoadProfile(_harness.Artifacts, prep);

        // The slice is the 24 new hours (19 train, the newest 5 test); the 3-day window is measured back from where the
        // test hours begin (newest − 4h): the 72 hours before them. The 2-day window keeps 48 of them.
        Assert.Multiple(() =>
        {
            Assert.That(prep.Prep().Rows, Is.EqualTo(24));
            Assert.That(prep.Prep().TrainRows, Is.EqualTo(19));
            Assert.That(prep.Prep().TestRows, Is.EqualTo(5));
            Assert.That(TypedResults.Iso(prep.Prep().Watermark), Is.EqualTo("2025-03-21T23:00:00Z"));
            Assert.That(prep.Prep().WindowRows, Is.EqualTo(72));
            Assert.That(TypedResults.Iso(prep.Prep().WindowStart), Is.EqualTo("2025-03-18T19:00:00Z"));
            Assert.That(TypedResults.Iso(prep.Prep().WindowEnd), Is.EqualTo("2025-03-21T19:00:00Z"));
            Assert.That(prep.Note(), Does.EndWith("; window 3d from 2025-03-18T19:00:00Z: 72 rows to train on"));
            Assert.That(times, Has.Count.EqualTo(72));
            Assert.That(times.Min(), Is.EqualTo(newest.AddHours(-4).AddDays(-3)));
            Assert.That(times.Max(), Is.EqualTo(newest.AddHours(-5)), "the slice's test rows are not in the window");
            Assert.That(profile.Rows, Is.EqualTo(72), "the profile describes what the window model learns from");

            Assert.That(run["wide"].Train().Strategy, Is.EqualTo(TrainingStrategy.Window));
            // Without the rows of the lineage's holdout that evaluate judges on (the full run's newest 20 % of 480 hours,
            // hours 384..479 from the holdout's start): 53 of the 3-day window's and 29 of the 2-day window's.
            Assert.That(run["wide"].Train().TrainRows, Is.EqualTo(72 - 53));
            Assert.That(run["wide"].Train().TestRows, Is.EqualTo(5));
            Assert.That(run["wide"].Note(), Does.StartWith("sdca trained on 19 rows, the newest 3d of data not held out (from 2025-03-18T19:00:00Z to 2025-03-21T19:00:00Z), without the 53 holdout rows of bikes v1's lineage evaluate judges on, measured on 5 test rows"));
            Assert.That(run["narrow"].Train().TrainRows, Is.EqualTo(48 - 29));
            Assert.That(run["narrow"].Note(), Does.StartWith("sdca trained on 19 rows, the newest 2d of data not held out (from 2025-03-19T19:00:00Z to 2025-03-21T19:00:00Z), without the 29 holdout rows"));
            Assert.That(run.Run.Model?.Version, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Full_WindowSteps_TrainOnEveryRowAndNoWindowIsWritten()
    {
        _harness.Write(Pipelines.BikesFile, Bikes, new SampleSettings { Rows = 480, Seed = 3, Start = Start });

        var run = await _harness.RunAsync(Pipeline(), RunMode.Full);

        Assert.That(run.Run.Status, Is.EqualTo(RunStatus.Succeeded), run.Describe());
        Assert.Multiple(() =>
        {
            Assert.That(run["prep"].Artifacts.ContainsKey(IncrementalWindow.Artifact), Is.False);
            Assert.That(run["prep"].Prep().WindowRows, Is.Null);
            Assert.That(run["wide"].Note(), Does.StartWith("sdca trained on 384 rows, measured on 96 test rows"));
            Assert.That(run["wide"].Train().Strategy, Is.Null);
        });
    }

    [Test]
    public async Task Incremental_WindowOlderThanTheWatermark_ReadsRowsBeforeItOnlyForTheWindow()
    {
        // A one-day slice after 20 days; a 10-day window reaches back past the watermark by 9 days.
        var pipeline = Pipelines.Bikes(Pipelines.BikeTrain("train", "sdca", "{ strategy: window, window: 10d }"), "train");
        _harness.Write(Pipelines.BikesFile, Bikes, new SampleSettings { Rows = 480, Seed = 3, Start = Start });
        Assert.That((await _harness.RunAsync(pipeline, RunMode.Full)).Run.Status, Is.EqualTo(RunStatus.Succeeded));
        _harness.Append(Pipelines.BikesFile, Bikes, new SampleSettings { Rows = 24, Seed = 4, Start = Start.AddHours(480) });

        var run = await _harness.RunAsync(pipeline, RunMode.Incremental);

        Assert.That(run.Run.Status, Is.EqualTo(RunStatus.Succeeded), run.Describe());
        Assert.Multiple(() =>
        {
            Assert.That(run["prep"].Prep().Rows, Is.EqualTo(24), "the slice is still the new rows");
            Assert.That(run["prep"].Prep().WindowRows, Is.EqualTo(10 * 24), "10 days before the test rows");
            Assert.That(run["train"].Train().TrainRows, Is.EqualTo(240 - 96), "without the 96 rows of the lineage's holdout evaluate judges on");
        });
    }

    /// <summary>pipelines/bike-rentals.yaml up to its deploy step, on the sample data copied beside it.</summary>
    private string BikeRentals()
    {
        File.Copy(RepositoryPaths.Combine("samples", "bike-rentals", "data", "bike-rentals.csv"), Path.Combine(_harness.DataRoot, "bike-rentals.csv"), overwrite: true);
        var yaml = File.ReadAllText(RepositoryPaths.Combine("pipelines", "bike-rentals.yaml"))
            .Replace("../samples/bike-rentals/data/bike-rentals.csv", "bike-rentals.csv", StringComparison.Ordinal);
        // Its schedule (cron triggers and the monitor and retrain steps) has no part in one run.
        yaml = yaml[..yaml.IndexOf("  - id: monitor", StringComparison.Ordinal)];
        return yaml[..yaml.IndexOf("triggers:", StringComparison.Ordinal)] + yaml[yaml.IndexOf("timezone:", StringComparison.Ordinal)..];
    }

    [Test]
    public async Task Incremental_BikeRentalsSliceWithTestRowsInsideTheWindow_WindowModelTrainsOnItsWholeWindow()
    {
        // pipelines/bike-rentals.yaml on its sample data: a full run on the first 4,000 hours, then the other 2,000 at
        // once. The slice's newest 20 % (400 hours) are its test rows, inside the 60-day window: measured from the
        // newest row, the window held 1,440 − 400 rows besides them (on a fresh serve, with the whole file as the
        // slice, it held 241).
        var yaml = BikeRentals();
        var sample = Path.Combine(_harness.DataRoot, "bike-rentals.csv");
        var lines = File.ReadAllLines(sample);
        File.WriteAllLines(sample, lines.Take(4001));
        Assert.That((await _harness.RunAsync(yaml, RunMode.Full)).Run.Status, Is.EqualTo(RunStatus.Succeeded));
        File.WriteAllLines(sample, lines);

        var run = await _harness.RunAsync(yaml, RunMode.Incremental);

        Assert.That(run["train-trees"].Status, Is.EqualTo(StepStatus.Succeeded), run.Describe());
        var prep = run["prep"];
        var tests = IncrementalHarness.Times(_harness.Dataset(prep, ArtifactNames.Test), "ts");
        var window = IncrementalHarness.Times(_harness.Dataset(prep, IncrementalWindow.Artifact), "ts");
        Assert.Multiple(() =>
        {
            Assert.That(prep.Prep().TestRows, Is.EqualTo(400));
            Assert.That(run["train-trees"].Train().TrainRows, Is.EqualTo(60 * 24), run["train-trees"].Note());
            Assert.That(window.Max(), Is.LessThan(tests.Min()), "no test row is trained on");
        });
    }

    [Test]
    public async Task Incremental_BikeRentalsOnAFreshHome_PreparedAsFullSoTheWindowModelTrainsOnEveryTrainingRow()
    {
        // What a fresh mlops serve did first: pipelines/bike-rentals.yaml's every-5-min fire, with no production model
        // yet and the whole file as the slice. Its 60-day window, measured from the newest row, overlapped the time
        // split's newest 20 %, and train-trees "trained on 241 rows". Now the run is prepared as a full run.
        var yaml = BikeRentals();

        var run = await _harness.RunAsync(yaml, RunMode.Incremental);

        Assert.That(run.Run.Status, Is.EqualTo(RunStatus.Succeeded), run.Describe());
        var prep = run["prep"].Prep();
        Assert.Multiple(() =>
        {
            Assert.That(run["prep"].Note(), Does.EndWith("incremental run prepared as full: no production model of bike-rentals yet"));
            Assert.That(prep.PreparedAsFull, Is.Not.Null);
            Assert.That(run["train-trees"].Train().Strategy, Is.EqualTo(TrainingStrategy.Full));
            Assert.That(run["train-trees"].Train().TrainRows, Is.EqualTo(prep.TrainRows), "every row but the test rows, not a window");
            Assert.That(prep.TrainRows, Is.GreaterThan(60 * 24), "more than a 60-day window holds");
            Assert.That(run.Run.Model?.Version, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Incremental_AfterAFullRunWithTestRowsLongerThanTheWindow_TrainsOnTheWholeWindow()
    {
        // Full run on 20 days; then 10 days arrive at once: their newest 2 days are the test rows, longer than a 1-day window.
        var pipeline = Pipelines.Bikes(Pipelines.BikeTrain("train", "sdca", "{ strategy: window, window: 1d }"), "train");
        _harness.Write(Pipelines.BikesFile, Bikes, new SampleSettings { Rows = 480, Seed = 3, Start = Start });
        Assert.That((await _harness.RunAsync(pipeline, RunMode.Full)).Run.Status, Is.EqualTo(RunStatus.Succeeded));
        _harness.Append(Pipelines.BikesFile, Bikes, new SampleSettings { Rows = 240, Seed = 4, Start = Start.AddHours(480) });

        var run = await _harness.RunAsync(pipeline, RunMode.Incremental);

        Assert.That(run.Run.Status, Is.EqualTo(RunStatus.Succeeded), run.Describe());
        var tests = IncrementalHarness.Times(_harness.Dataset(run["prep"], ArtifactNames.Test), "ts");
        var window = IncrementalHarness.Times(_harness.Dataset(run["prep"], IncrementalWindow.Artifact), "ts");
        Assert.Multiple(() =>
        {
            Assert.That(run["prep"].Prep().TestRows, Is.EqualTo(48));
            Assert.That(run["train"].Train().TrainRows, Is.EqualTo(24), "a whole day, not the 0 rows the test days left of it");
            Assert.That(window.Max(), Is.LessThan(tests.Min()));
        });
    }

    [Test]
    public async Task Incremental_WindowBelowMinRows_FailsAndSaysWhy()
    {
        var pipeline = Pipelines.Bikes(Pipelines.BikeTrain("train", "sdca", "{ strategy: window, window: 1d }"), "train")
            .Replace("kind: data_prep", "kind: data_prep\n    checks: { min_rows: 100 }", StringComparison.Ordinal);
        _harness.Write(Pipelines.BikesFile, Bikes, new SampleSettings { Rows = 480, Seed = 3, Start = Start });
        Assert.That((await _harness.RunAsync(pipeline, RunMode.Full)).Run.Status, Is.EqualTo(RunStatus.Succeeded));
        _harness.Append(Pipelines.BikesFile, Bikes, new SampleSettings { Rows = 24, Seed = 4, Start = Start.AddHours(480) });

        var run = await _harness.RunAsync(pipeline, RunMode.Incremental);

        Assert.That(run["train"].Status, Is.EqualTo(StepStatus.Failed));
        Assert.That(run["train"].Error, Does.Contain("would train on only 24 rows in the newest 1d of data not held out").And.Contain("fewer than min_rows 100 of data_prep step 'prep'"));
    }
}
