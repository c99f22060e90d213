using MlOpsOrchestrator.Evaluations;
using MlOpsOrchestrator.Storage.Tests.Support;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;

namespace MlOpsOrchestrator.Storage.Tests;

/// <summary>The evaluation service over the real registry and evaluation store of each engine.</summary>
[TestFixtureSource(typeof(StoreEngines), nameof(StoreEngines.All))]
public sealed class EvaluationServiceTests(StoreEngine engine) : StoreFixture(engine)
{
    private IEvaluationService Service => IEvaluationService.Create(Stores.Registry, Stores.ModelEvaluations);

    private static ModelEvaluation Row(string model, string run, string step, string? trainedBy, int? version, string slice, double value) => new()
    {
        Model = model, Version = version, RunId = run, StepId = step, TrainedBy = trainedBy, DataHash = $"hash-{run}",
        SliceColumn = slice == "*" ? "*" : "season", SliceValue = slice, Metric = "rmse", Value = value, Rows = 50,
        Role = version is null ? ModelEvaluation.CandidateRole : ModelEvaluation.ProductionRole, At = Sample.T0,
    };

    private async Task RegisterAsync(string model, string run, string trainedBy)
    {
        await Stores.Registry.RegisterAsync(Sample.Model(model, run) with
        {
            Properties = new Dictionary<string, string> { [ModelProperties.TrainedBy] = trainedBy },
        }, CancellationToken.None);
    }

    [Test]
    public async Task ListAsync_CandidateRows_BelongToTheVersionRegisteredFromTheirRunAndTrainStep()
    {
        var model = Sample.Name("bikes");
        await Stores.ModelEvaluations.ReplaceAsync("run-1", "trees", [Row(model, "run-1", "trees", "trees", null, "*", 7)], CancellationToken.None);
        await Stores.ModelEvaluations.ReplaceAsync("run-1", "linear", [Row(model, "run-1", "linear", "linear", null, "*", 9)], CancellationToken.None);
        await Stores.ModelEvaluations.ReplaceAsync("run-1", "evaluate", [Row(model, "run-1", "evaluate", "trees", null, "*", 7), Row(model, "run-1", "evaluate", "trees", null, "season=summer", 8)], CancellationToken.None);
        await RegisterAsync(model, "run-1", "trees");

        var all = await Service.ListAsync(model, null, null, CancellationToken.None);
        var v1 = await Service.ListAsync(model, 1, null, CancellationToken.None);
        var seasons = await Service.ListAsync(model, 1, "season", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(all.Select(r => (r.StepId, r.Version)), Is.EqualTo(new (string, int?)[] { ("trees", 1), ("linear", null), ("evaluate", 1), ("evaluate", 1) }),
                "the losing candidate has no version");
            Assert.That(v1.Select(r => r.StepId), Is.EqualTo(new[] { "trees", "evaluate", "evaluate" }));
            Assert.That(seasons.Select(r => r.SliceValue), Is.EqualTo(new[] { "season=summer" }));
        });
    }

    [Test]
    public async Task CompareAsync_NoRunMeasuredBoth_EachVersionsNewestEvaluation()
    {
        var model = Sample.Name("bikes");
        await Stores.ModelEvaluations.ReplaceAsync("run-1", "evaluate", [Row(model, "run-1", "evaluate", "train", null, "*", 6)], CancellationToken.None);
        await RegisterAsync(model, "run-1", "train");
        await Stores.ModelEvaluations.ReplaceAsync("run-2", "evaluate", [Row(model, "run-2", "evaluate", "train", null, "*", 3)], CancellationToken.None);
        await RegisterAsync(model, "run-2", "train");

        var comparison = await Service.CompareAsync(model, 1, 2, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(comparison.RunId, Is.Null);
            Assert.That((comparison.DataHashA, comparison.DataHashB), Is.EqualTo(("hash-run-1", "hash-run-2")));
            Assert.That(comparison.Slices.Single(), Is.EqualTo(new SliceComparison("*", "*", "rmse", 6, 50, 3, 50, -0.5, -0.5)));
        });
    }

    [Test]
    public async Task ListAsync_UnknownModelOrVersion_NotFound()
    {
        var model = Sample.Name("bikes");
        await RegisterAsync(model, "run-1", "train");

        var unknown = await Assert.ThrowsAsync<EvaluationQueryException>(() => Service.ListAsync(Sample.Name("nothing"), null, null, CancellationToken.None));
        var version = await Assert.ThrowsAsync<EvaluationQueryException>(() => Service.CompareAsync(model, 1, 4, CancellationToken.None));

        Assert.That(unknown!.NotFound, Is.True);
        Assert.That(version!.NotFound, Is.True);
        Assert.That(version.Message, Is.EqualTo($"model '{model}' has no version 4 (registered: 1)"));
    }
}
