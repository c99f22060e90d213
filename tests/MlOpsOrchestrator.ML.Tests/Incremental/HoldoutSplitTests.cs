using MlOpsOrchestrator.ML.SampleData;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;
using MlOpsOrchestrator.ML.Tests.Support;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Incremental;

/// <summary>
/// A full run with a random split after a model is in production: its test set holds production's holdout and rows
/// newer than production's data, not the rows production trained on, so evaluate compares the two on rows neither saw.
/// </summary>
[TestFixture]
public sealed class HoldoutSplitTests
{
    private static readonly DateTime Start = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly BikeRentalsGenerator Bikes = new();

    private IncrementalHarness _harness = null!;

    [SetUp]
    public async Task SetUp() => _harness = await IncrementalHarness.OpenAsync();

    [TearDown]
    public async Task TearDown() => await _harness.DisposeAsync();

    private static string Pipeline() => Pipelines.Bikes(Pipelines.BikeTrain("train", "fast_tree", "{ strategy: window, window: 30d }"), "train")
        .Replace("split: { by: time, test_fraction: 0.2 }", "split: { by: random, test_fraction: 0.2 }", StringComparison.Ordinal);

    [Test]
    public async Task Full_RandomSplitAfterADeploy_TestRowsAreProductionsHoldoutAndNewerRowsNeverItsTrainingRows()
    {
        Assert.That(Pipeline(), Does.Contain("by: random"), "the test pipeline splits at random");
        _harness.Write(Pipelines.BikesFile, Bikes, new SampleSettings { Rows = 1000, Seed = 3, Start = Start });
        var first = await _harness.RunAsync(Pipeline(), RunMode.Full);
        Assert.That(first.Run.Status, Is.EqualTo(RunStatus.Succeeded), first.Describe());
        var production = (await _harness.ProductionAsync("bikes"))!;
        var holdout = IncrementalHarness.Times(_harness.Dataset(first["prep"], ArtifactNames.Test), "ts").ToHashSet();
        var trainedOn = IncrementalHarness.Times(_harness.Dataset(first["prep"], ArtifactNames.Train), "ts").ToHashSet();
        _harness.Append(Pipelines.BikesFile, Bikes, new SampleSettings { Rows = 500, Seed = 4, Start = Start.AddHours(1000) });

        var second = await _harness.RunAsync(Pipeline(), RunMode.Full);

        var prep = second["prep"];
        var tests = IncrementalHarness.Times(_harness.Dataset(prep, ArtifactNames.Test), "ts");
        Assert.Multiple(() =>
        {
            Assert.That(production.Properties[ModelProperties.Holdout], Is.EqualTo(first["prep"].Artifacts[ArtifactNames.Test]));
            Assert.That(prep.Prep().TestRows, Is.EqualTo(300), "as many test rows as a plain split: 20 % of 1,500");
            Assert.That(tests.Where(holdout.Contains).Count(), Is.EqualTo(200), "every holdout row of production stays a test row");
            Assert.That(tests.Where(trainedOn.Contains), Is.Empty, "no row production trained on is a test row");
            Assert.That(tests.Count(t => t >= Start.AddHours(1000)), Is.EqualTo(100), "the rest are rows newer than production's data");
            Assert.That(prep.Note(), Does.Contain("(random split, 200 of the test rows from the holdout of production bikes v1)"));
        });
    }
}
