using MlOpsOrchestrator.Feedback;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Storage.Tests.Support;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;

namespace MlOpsOrchestrator.Storage.Tests;

/// <summary>
/// The two deletions garbage collection makes, on both engines: a model version goes only when no alias points to it
/// (checked under the model's lock, so a promotion cannot race it), a run only once it has ended. What was recorded
/// about a deleted version (its evaluations, the labels of requests only it answered) goes with it; what was recorded
/// about a version still registered stays, whichever run measured it.
/// </summary>
[TestFixtureSource(typeof(StoreEngines), nameof(StoreEngines.All))]
public sealed class RetentionStoreTests(StoreEngine engine) : StoreFixture(engine)
{
    [Test]
    public async Task DeleteVersionAsync_AliasPointsToIt_RefusedAndEverythingKept()
    {
        var name = Sample.Name("taxi-fare");
        await Stores.Registry.RegisterAsync(Sample.Model(name, "run-a"), CancellationToken.None);
        await Stores.Registry.RegisterAsync(Sample.Model(name, "run-b"), CancellationToken.None);
        await Stores.Registry.MoveAliasAsync(name, "production", 1, "alice", null, Sample.T0, CancellationToken.None);

        var deleted = await Stores.Registry.DeleteVersionAsync(name, 1, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(deleted, Is.False);
            Assert.That(await Stores.Registry.GetAsync(name, 1, CancellationToken.None), Is.Not.Null);
            Assert.That((await Stores.Registry.GetAliasesAsync(name, CancellationToken.None))["production"], Is.EqualTo(1));
            Assert.That(await Stores.Registry.GetAliasHistoryAsync(name, CancellationToken.None), Has.Count.EqualTo(1));
        }
    }

    [Test]
    public async Task DeleteVersionAsync_AliasMovedAway_DeletesTheRowAndTheHistoryThatNamesIt_NumbersNotReused()
    {
        var name = Sample.Name("taxi-fare");
        await Stores.Registry.RegisterAsync(Sample.Model(name, "run-a"), CancellationToken.None);
        await Stores.Registry.RegisterAsync(Sample.Model(name, "run-b"), CancellationToken.None);
        await Stores.Registry.MoveAliasAsync(name, "production", 1, "deploy", null, Sample.T0, CancellationToken.None);
        await Stores.Registry.MoveAliasAsync(name, "production", 2, "deploy", null, Sample.T0.AddHours(1), CancellationToken.None);

        var deleted = await Stores.Registry.DeleteVersionAsync(name, 1, CancellationToken.None);
        var again = await Stores.Registry.DeleteVersionAsync(name, 1, CancellationToken.None);
        var next = await Stores.Registry.RegisterAsync(Sample.Model(name, "run-c"), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(deleted, Is.True);
            Assert.That(again, Is.False, "already gone");
            Assert.That((await Stores.Registry.ListVersionsAsync(name, CancellationToken.None)).Select(v => v.Version), Is.EqualTo(new[] { 2, 3 }));
            Assert.That(next.Version, Is.EqualTo(3), "version numbers are never reused");
            Assert.That((await Stores.Registry.GetAliasHistoryAsync(name, CancellationToken.None)).Select(h => (h.Version, h.PreviousVersion)), Is.EqualTo(new[] { (2, (int?)1) }));
        }
    }

    [Test]
    public async Task DeleteVersionAsync_DeletesItsEvaluationsAndTheLabelsOfRequestsOnlyItAnswered_KeepsTheOthers()
    {
        var name = Sample.Name("taxi-fare");
        await Stores.Registry.RegisterAsync(Sample.Model(name, "run-a"), CancellationToken.None);
        await Stores.Registry.RegisterAsync(Sample.Model(name, "run-b"), CancellationToken.None);
        await Stores.Registry.MoveAliasAsync(name, "production", 2, "deploy", null, Sample.T0, CancellationToken.None);
        await Stores.ModelEvaluations.ReplaceAsync("run-a", "evaluate", [Evaluation(name, "run-a", 1), Evaluation(name, "run-a", 2, ModelEvaluation.ProductionRole)], CancellationToken.None);
        await Stores.ModelEvaluations.ReplaceAsync("run-b", "evaluate", [Evaluation(name, "run-b", 2)], CancellationToken.None);
        await Stores.Predictions.AppendAsync(
        [
            Answer(name, "p-old", 1, "production"),
            Answer(name, "p-new", 2, "production"),
            Answer(name, "p-new", 1, "shadow", shadow: true),
        ], CancellationToken.None);
        await Stores.Feedback.AddAsync(name, [FeedbackLabel.ForPrediction("p-old", "10"), FeedbackLabel.ForPrediction("p-new", "12")], "alice", Sample.T0, CancellationToken.None);

        Assert.That(await Stores.Registry.DeleteVersionAsync(name, 1, CancellationToken.None), Is.True);

        var evaluations = await Stores.ModelEvaluations.ReadAsync(name, CancellationToken.None);
        var labelled = new List<LabelledPrediction>();
        await foreach (var row in Stores.Feedback.ReadLabelledAsync(name, Sample.T0.AddDays(-1), CancellationToken.None))
        {
            labelled.Add(row);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(evaluations.Select(e => (e.RunId, e.Version)), Is.EquivalentTo(new[] { ("run-a", (int?)2), ("run-b", 2) }),
                "version 1's evaluation goes; version 2's stays, also the one run-a measured");
            Assert.That(labelled.Select(l => (l.Alias, l.Version, l.Label)), Is.EquivalentTo(new[] { ("production", 2, "12"), ("shadow", 1, "12") }),
                "the label of the request only version 1 answered goes; the request version 2 answered keeps its label, though version 1 also scored it as a shadow");
            Assert.That((await Stores.Feedback.AddAsync(name, [FeedbackLabel.ForPrediction("p-new", "13")], "bob", Sample.T0, CancellationToken.None))[0].Status,
                Is.EqualTo(FeedbackStatus.Duplicate), "the kept label still stands");
        }
    }

    [Test]
    public async Task DeleteVersionAsync_AliasPointsToIt_KeepsItsEvaluationsAndLabels()
    {
        var name = Sample.Name("taxi-fare");
        await Stores.Registry.RegisterAsync(Sample.Model(name, "run-a"), CancellationToken.None);
        await Stores.Registry.MoveAliasAsync(name, "production", 1, "deploy", null, Sample.T0, CancellationToken.None);
        await Stores.ModelEvaluations.ReplaceAsync("run-a", "evaluate", [Evaluation(name, "run-a", 1)], CancellationToken.None);
        await Stores.Predictions.AppendAsync([Answer(name, "p-1", 1, "production")], CancellationToken.None);
        await Stores.Feedback.AddAsync(name, [FeedbackLabel.ForPrediction("p-1", "10")], "alice", Sample.T0, CancellationToken.None);

        Assert.That(await Stores.Registry.DeleteVersionAsync(name, 1, CancellationToken.None), Is.False);

        Assert.That(await Stores.ModelEvaluations.ReadAsync(name, CancellationToken.None), Has.Count.EqualTo(1));
        Assert.That((await Stores.Feedback.AddAsync(name, [FeedbackLabel.ForPrediction("p-1", "11")], "bob", Sample.T0, CancellationToken.None))[0].Status,
            Is.EqualTo(FeedbackStatus.Duplicate));
    }

    [Test]
    public async Task DeleteVersionAsync_UnknownModelOrVersion_False()
    {
        Assert.That(await Stores.Registry.DeleteVersionAsync(Sample.Name("nobody"), 1, CancellationToken.None), Is.False);
    }

    [Test]
    public async Task DeleteEndedRunAsync_DeletesWhatItMeasured_ExceptAboutVersionsStillRegistered()
    {
        var name = Sample.Name("taxi-fare");
        await Stores.Registry.RegisterAsync(Sample.Model(name, "run-0"), CancellationToken.None);
        var run = Sample.Run(Sample.Name("taxi-fare"));
        var (created, _) = await Stores.Runs.CreateAsync(run, Sample.Steps(run, "evaluate"), CancellationToken.None);
        await Stores.RunExecution.CommitAsync(null, [], created with { Status = RunStatus.Failed, FinishedAt = Sample.T0.AddMinutes(1) }, CancellationToken.None);
        await Stores.ModelEvaluations.ReplaceAsync(run.RunId, "evaluate",
            [Evaluation(name, run.RunId, null), Evaluation(name, run.RunId, 1, ModelEvaluation.ProductionRole), Evaluation(name, run.RunId, 9, ModelEvaluation.ProductionRole)], CancellationToken.None);

        Assert.That(await Stores.RunExecution.DeleteEndedRunAsync(run.RunId, CancellationToken.None), Is.True);

        Assert.That((await Stores.ModelEvaluations.ReadAsync(name, CancellationToken.None)).Select(e => e.Version), Is.EqualTo(new int?[] { 1 }),
            "the candidate it measured and a version no longer registered go; registered version 1's score stays");
    }

    [TestCase(RunStatus.Pending, false)]
    [TestCase(RunStatus.Running, false)]
    [TestCase(RunStatus.AwaitingApproval, false)]
    [TestCase(RunStatus.Interrupted, false)]
    [TestCase(RunStatus.Succeeded, true)]
    [TestCase(RunStatus.Failed, true)]
    [TestCase(RunStatus.Cancelled, true)]
    public async Task DeleteEndedRunAsync_OnlyARunThatEnded_GoesWithItsSteps(RunStatus status, bool deletes)
    {
        var run = Sample.Run(Sample.Name("taxi-fare"));
        var (created, _) = await Stores.Runs.CreateAsync(run, Sample.Steps(run, "prep", "train"), CancellationToken.None);
        await Stores.RunExecution.CommitAsync(null, [], created with { Status = status, FinishedAt = Sample.T0.AddMinutes(1) }, CancellationToken.None);

        var deleted = await Stores.RunExecution.DeleteEndedRunAsync(run.RunId, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(deleted, Is.EqualTo(deletes));
            Assert.That(await Stores.Runs.GetAsync(run.RunId, CancellationToken.None), deletes ? Is.Null : Is.Not.Null);
            Assert.That(await Stores.Runs.GetStepsAsync(run.RunId, CancellationToken.None), deletes ? Is.Empty : Has.Count.EqualTo(2));
            Assert.That(await Stores.RunExecution.DeleteEndedRunAsync(run.RunId, CancellationToken.None), Is.False, "nothing left to delete, or still not ended");
        }
    }

    private static ModelEvaluation Evaluation(string model, string run, int? version, string role = ModelEvaluation.CandidateRole) => new()
    {
        Model = model,
        Version = version,
        RunId = run,
        StepId = "evaluate",
        TrainedBy = role == ModelEvaluation.CandidateRole ? "train" : null,
        Metric = "rmse",
        Value = 3.5,
        Rows = 100,
        Role = role,
        At = Sample.T0,
    };

    private static PredictionRecord Answer(string model, string id, int version, string alias, bool shadow = false) =>
        new(model, version, Sample.T0, "{}", "{\"score\":1}", 1, alias, id, null, shadow);
}
