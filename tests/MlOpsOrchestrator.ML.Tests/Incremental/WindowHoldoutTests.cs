using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.SampleData;
using MlOpsOrchestrator.ML.Steps.DataPrep;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.ML.Tests.Support;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Incremental;

/// <summary>
/// An incremental run with a <c>strategy: window</c> candidate is judged on the lineage's holdout, as a warm start is:
/// the window leaves out the holdout rows evaluate uses, so neither the candidate nor production trained on them, and
/// a small slice's few test rows no longer keep every window candidate below <c>min_rows</c>.
/// </summary>
[TestFixture]
public sealed class WindowHoldoutTests
{
    private static readonly DateTime Start = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly BikeRentalsGenerator Bikes = new();

    private IncrementalHarness _harness = null!;

    [SetUp]
    public async Task SetUp() => _harness = await IncrementalHarness.OpenAsync();

    [TearDown]
    public async Task TearDown() => await _harness.DisposeAsync();

    /// <summary>A 30-day window step; evaluate's holdout the newest 10 days of the full run's test rows.</summary>
    private static string Pipeline() => Pipelines.Bikes(Pipelines.BikeTrain("trees", "fast_tree", "{ strategy: window, window: 30d }"), "trees")
        .Replace("primary_metric: rmse", "primary_metric: rmse\n    holdout: 10d", StringComparison.Ordinal);

    [Test]
    public async Task Incremental_WindowCandidate_IsJudgedOnTheLineageHoldoutItDidNotTrainOn()
    {
        Assert.That(Pipeline(), Does.Contain("holdout: 10d"));
        // 60 days of hours: the full run's time split holds out the newest 12 days (288 rows); then a day of new rows.
        _harness.Write(Pipelines.BikesFile, Bikes, new SampleSettings { Rows = 1440, Seed = 3, Start = Start });
        var full = await _harness.RunAsync(Pipeline(), RunMode.Full);
        Assert.That(full.Run.Status, Is.EqualTo(RunStatus.Succeeded), full.Describe());
        _harness.Append(Pipelines.BikesFile, Bikes, new SampleSettings { Rows = 24, Seed = 4, Start = Start.AddHours(1440) });

        var run = await _harness.RunAsync(Pipeline(), RunMode.Incremental);

        Assert.That(run.Run.Status, Is.EqualTo(RunStatus.Succeeded), run.Describe());
        var trained = run["trees"].Train();
        Assert.Multiple(() =>
        {
            Assert.That(trained.Strategy, Is.EqualTo(TrainingStrategy.Window));
            Assert.That(trained.HoldoutExcluded, Is.EqualTo(full["prep"].Artifacts[ArtifactNames.Test]));
            Assert.That(run["trees"].Note(), Does.Contain(", without the 241 holdout rows of bikes v1's lineage evaluate judges on"));
            Assert.That(trained.TrainRows, Is.EqualTo(run["prep"].Prep().WindowRows - 241), "the window without those rows");
            Assert.That(run["evaluate"].Note(), Does.Contain(" on 246 rows: 5 test rows of the slice + 241 holdout rows of bikes v1's lineage (newest 10d of "));
            Assert.That(run["deploy"].Note(), Does.Not.Contain("only 5 test rows"));
        });
    }
}
