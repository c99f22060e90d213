using System.Globalization;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.SampleData;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.ML.Steps.DataPrep;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.ML.Tests.Support;
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

        // The slice is the 24 new hours (19 train, the newest 5 test); the 3-day window is the 73 hours from newest − 3d
        // to newest, of which the 5 test hours are left out: 68 rows. The 2-day window keeps 49 − 5 = 44 of them.
        Assert.Multiple(() =>
        {
            Assert.That(prep.Prep().Rows, Is.EqualTo(24));
            Assert.That(prep.Prep().TrainRows, Is.EqualTo(19));
            Assert.That(prep.Prep().TestRows, Is.EqualTo(5));
            Assert.That(TypedResults.Iso(prep.Prep().Watermark), Is.EqualTo("2025-03-21T23:00:00Z"));
            Assert.That(prep.Prep().WindowRows, Is.EqualTo(68));
            Assert.That(TypedResults.Iso(prep.Prep().WindowStart), Is.EqualTo("2025-03-18T23:00:00Z"));
            Assert.That(prep.Note(), Does.EndWith("; window 3d from 2025-03-18T23:00:00Z: 68 rows to train on"));
            Assert.That(times, Has.Count.EqualTo(68));
            Assert.That(times.Min(), Is.EqualTo(newest.AddDays(-3)));
            Assert.That(times.Max(), Is.EqualTo(newest.AddHours(-5)), "the slice's test rows are not in the window");
            Assert.That(profile.Rows, Is.EqualTo(68), "the profile describes what the window model learns from");

            Assert.That(run["wide"].Train().Strategy, Is.EqualTo(TrainingStrategy.Window));
            Assert.That(run["wide"].Train().TrainRows, Is.EqualTo(68));
            Assert.That(run["wide"].Train().TestRows, Is.EqualTo(5));
            Assert.That(run["wide"].Note(), Does.StartWith("sdca trained on 68 rows, the newest 3d of data (from 2025-03-18T23:00:00Z), measured on 5 test rows"));
            Assert.That(run["narrow"].Train().TrainRows, Is.EqualTo(44));
            Assert.That(run["narrow"].Note(), Does.StartWith("sdca trained on 44 rows, the newest 2d of data (from 2025-03-19T23:00:00Z)"));
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
            Assert.That(run["prep"].Prep().WindowRows, Is.EqualTo(241 - 5));
            Assert.That(run["train"].Train().TrainRows, Is.EqualTo(236));
        });
    }
}
