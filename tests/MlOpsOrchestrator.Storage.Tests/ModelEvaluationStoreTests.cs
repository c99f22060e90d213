using MlOpsOrchestrator.Storage.Tests.Support;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;

namespace MlOpsOrchestrator.Storage.Tests;

[TestFixtureSource(typeof(StoreEngines), nameof(StoreEngines.All))]
public sealed class ModelEvaluationStoreTests(StoreEngine engine) : StoreFixture(engine)
{
    private static ModelEvaluation Row(string model, string run, string step, string metric, double value, string column = ModelEvaluation.Overall, string slice = ModelEvaluation.Overall, string role = ModelEvaluation.CandidateRole, int? version = null) => new()
    {
        Model = model,
        Version = version,
        RunId = run,
        StepId = step,
        TrainedBy = role == ModelEvaluation.CandidateRole ? "train" : null,
        DataHash = "sha256:abc",
        SliceColumn = column,
        SliceValue = slice,
        Metric = metric,
        Value = value,
        Rows = 120,
        Role = role,
        At = Sample.T0,
    };

    [Test]
    public async Task ReplaceAsync_ThenReadAsync_RoundTripsEveryFieldInWrittenOrder()
    {
        var model = Sample.Name("bikes");
        ModelEvaluation[] written =
        [
            Row(model, "run-a", "evaluate", "rmse", 4.25),
            Row(model, "run-a", "evaluate", "rmse", 3.5, "season", "season=3") with { Rows = 40 },
            Row(model, "run-a", "evaluate", "rmse", 3.75, "temp", "0<=temp<10", ModelEvaluation.ProductionRole, version: 7) with { DataHash = null, At = Sample.T0.AddTicks(7) },
            Row(model, "run-a", "evaluate", "r_squared", double.NaN),
        ];

        await Stores.ModelEvaluations.ReplaceAsync("run-a", "evaluate", written, CancellationToken.None);

        var read = await Stores.ModelEvaluations.ReadAsync(model, CancellationToken.None);
        Assert.That(read, Has.Count.EqualTo(4));
        Assert.That(read.Take(2), Is.EqualTo(written.Take(2)));
        Assert.That(read[2], Is.EqualTo(written[2] with { At = Sample.T0 }), "times keep microseconds, in UTC");
        Assert.That(double.IsNaN(read[3].Value), Is.True);
    }

    [Test]
    public async Task ReplaceAsync_SameRunAndStepAgain_KeepsOnlyTheLastSetAndOtherStepsRows()
    {
        var model = Sample.Name("bikes");
        await Stores.ModelEvaluations.ReplaceAsync("run-a", "train", [Row(model, "run-a", "train", "rmse", 5)], CancellationToken.None);
        await Stores.ModelEvaluations.ReplaceAsync("run-a", "evaluate", [Row(model, "run-a", "evaluate", "rmse", 4), Row(model, "run-a", "evaluate", "mae", 3)], CancellationToken.None);

        await Stores.ModelEvaluations.ReplaceAsync("run-a", "evaluate", [Row(model, "run-a", "evaluate", "rmse", 4.5)], CancellationToken.None);

        var read = await Stores.ModelEvaluations.ReadAsync(model, CancellationToken.None);
        Assert.That(read.Select(r => (r.StepId, r.Metric, r.Value)), Is.EqualTo(new[] { ("train", "rmse", 5.0), ("evaluate", "rmse", 4.5) }));
    }

    [Test]
    public async Task ReadAsync_OtherModel_NotReturned()
    {
        var model = Sample.Name("bikes");
        var other = Sample.Name("taxi");
        await Stores.ModelEvaluations.ReplaceAsync("run-b", "evaluate", [Row(model, "run-b", "evaluate", "rmse", 4), Row(other, "run-b", "evaluate", "rmse", 9)], CancellationToken.None);

        var read = await Stores.ModelEvaluations.ReadAsync(model, CancellationToken.None);

        Assert.That(read.Select(r => r.Model), Is.EqualTo(new[] { model }));
    }

    [TestCase("run-x", "evaluate", "rmse", ModelEvaluation.CandidateRole, "belongs to run 'run-x'")]
    [TestCase("run-c", "train", "rmse", ModelEvaluation.CandidateRole, "belongs to step 'train'")]
    [TestCase("run-c", "evaluate", "", ModelEvaluation.CandidateRole, "has no metric")]
    [TestCase("run-c", "evaluate", "rmse", "shadow", "has role 'shadow'")]
    public async Task ReplaceAsync_BadRow_RefusedWithNothingWritten(string run, string step, string metric, string role, string why)
    {
        var model = Sample.Name("bikes");
        await Stores.ModelEvaluations.ReplaceAsync("run-c", "evaluate", [Row(model, "run-c", "evaluate", "rmse", 1)], CancellationToken.None);

        await Assert.ThatAsync(() => Stores.ModelEvaluations.ReplaceAsync(
            "run-c", "evaluate", [Row(model, "run-c", "evaluate", "mae", 2), Row(model, run, step, metric, 3, role: role)], CancellationToken.None), Throws.ArgumentException.With.Message.Contains($"Evaluation 1 {why}"));

        var read = await Stores.ModelEvaluations.ReadAsync(model, CancellationToken.None);
        Assert.That(read.Select(r => (r.Metric, r.Value)), Is.EqualTo(new[] { ("rmse", 1.0) }), "the earlier set stays");
    }
}
