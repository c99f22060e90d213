using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Tests.Support;
using MlOpsOrchestrator.ML.SampleData;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Incremental;

/// <summary>
/// Warm start scales its passes to the slice (<see cref="WarmStartPasses"/>): whole runs of the bike-rentals trainer
/// (online gradient descent, 30 iterations) on generated hourly data, the continued model measured beside production
/// on rows neither trained on.
/// </summary>
[TestFixture]
public sealed class WarmStartPassesTests
{
    private static readonly DateTime Start = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly BikeRentalsGenerator Bikes = new();

    private IncrementalHarness _harness = null!;

    [SetUp]
    public async Task SetUp() => _harness = await IncrementalHarness.OpenAsync();

    [TearDown]
    public async Task TearDown() => await _harness.DisposeAsync();

    private static string Pipeline() => Pipelines.Bikes(
        Pipelines.BikeTrain("train", "online_gradient_descent", "{ strategy: warm_start }") + "\n  options: { number_of_iterations: 30, learning_rate: 0.05 }",
        "train");

    [TestCase(30, 19, 1600, 1, Description = "a day's slice: one pass")]
    [TestCase(30, 1600, 1600, 30, Description = "a slice as large as the base: every pass")]
    [TestCase(30, 5000, 1600, 30, Description = "never more than configured")]
    [TestCase(30, 400, 1600, 8, Description = "a quarter of the base: ceil(7.5)")]
    [TestCase(1, 19, 1600, 1, Description = "ML.NET's default single pass stays")]
    [TestCase(100, 10, 0, 100, Description = "no base rows recorded: as configured")]
    public void Scale_Table(int configured, long slice, long baseRows, int expected) =>
        Assert.That(WarmStartPasses.Scale(configured, slice, baseRows), Is.EqualTo(expected));

    [Test]
    public async Task Incremental_DaySlice_OnePassKeepsTheModelCloseToProductionOnHeldOutRows()
    {
        var (full, production) = await FullRunAsync();
        _harness.Append(Pipelines.BikesFile, Bikes, new SampleSettings { Rows = 24, Seed = 4, Start = Start.AddHours(2000) });

        var run = await _harness.RunAsync(Pipeline(), RunMode.Incremental);

        Assert.That(run["train"].Status, Is.EqualTo(StepStatus.Succeeded), run.Describe());
        var continued = Rmse(full, _harness.LoadModel(run["train"]));
        Assert.Multiple(() =>
        {
            Assert.That(run["train"].Note(), Does.Contain("(number_of_iterations 1 of 30, learning_rate 0.000594 of 0.05, scaled to the slice (19 rows against the 1,600 rows bikes v1 was trained on))"));
            Assert.That(run.Progress, Has.Some.EqualTo("train: number_of_iterations 1 of 30, learning_rate 0.000594 of 0.05, scaled to the slice (19 rows against the 1,600 rows bikes v1 was trained on)"));
            Assert.That(continued, Is.LessThan(production * 1.1), $"rmse on the full run's test rows: production {production:0.00}, continued on 19 rows {continued:0.00}");
        });
    }

    [Test]
    public async Task Incremental_LargeSlice_EveryConfiguredPassAndTheModelLearns()
    {
        var (full, production) = await FullRunAsync();
        _harness.Append(Pipelines.BikesFile, Bikes, new SampleSettings { Rows = 2000, Seed = 4, Start = Start.AddHours(2000) });

        var run = await _harness.RunAsync(Pipeline(), RunMode.Incremental);

        Assert.That(run["train"].Status, Is.EqualTo(StepStatus.Succeeded), run.Describe());
        var continued = Rmse(full, _harness.LoadModel(run["train"]));
        Assert.Multiple(() =>
        {
            Assert.That(run["train"].Note(), Does.Contain("(number_of_iterations 30 of 30, learning_rate 0.05 of 0.05, scaled to the slice (1,600 rows against the 1,600 rows bikes v1 was trained on)"));
            Assert.That(continued, Is.Not.EqualTo(production).Within(1e-6), "the continued model moved");
            Assert.That(continued, Is.LessThan(production * 1.1), $"production {production:0.00}, continued {continued:0.00}");
        });
    }

    /// <summary>A full run on 2,000 hours (1,600 trained on); production's rmse on its 400 test rows.</summary>
    private async Task<(RunResult Full, double Rmse)> FullRunAsync()
    {
        _harness.Write(Pipelines.BikesFile, Bikes, new SampleSettings { Rows = 2000, Seed = 3, Start = Start });
        var full = await _harness.RunAsync(Pipeline(), RunMode.Full);
        Assert.That(full.Run.Status, Is.EqualTo(RunStatus.Succeeded), full.Describe());
        var production = (await _harness.ProductionAsync("bikes"))!;
        return (full, Rmse(full, _harness.LoadModel(production)));
    }

    private double Rmse(RunResult full, Microsoft.ML.ITransformer model)
    {
        var schema = _harness.Schema(full["train"]);
        var test = _harness.Dataset(full["prep"], ArtifactNames.Test);
        return new ScoredModel(model, schema, MlTask.Regression).Measure(_harness.Ml, test)["rmse"];
    }
}
