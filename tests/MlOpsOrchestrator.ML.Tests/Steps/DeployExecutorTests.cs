using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.ML.Tests.Steps.Support;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.ML.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Steps;

[TestFixture]
public sealed class DeployExecutorTests
{
    private static readonly List<SyntheticRow> TrainRows = SyntheticData.Rows(300, seed: 21);
    private static readonly List<SyntheticRow> TestRows = SyntheticData.Rows(100, seed: 22);

    [Test]
    public async Task Execute_Twice_RegistersOnceAndMovesTheAliasOnce()
    {
        using var harness = await EvaluatedAsync();

        var first = await harness.ExecuteAsync(harness.NewDeploy(), "deploy");
        var second = await harness.ExecuteAsync(harness.NewDeploy(), "deploy");

        Assert.That(first.Status, Is.EqualTo(StepStatus.Succeeded), first.Message);
        Assert.That(second.Result, Is.EqualTo(first.Result));
        Assert.That(first.Result, Is.EqualTo(new DeployResult { Deployed = new ModelRef("churn", 1) }));
        Assert.That(await harness.Registry.ListVersionsAsync("churn", CancellationToken.None), Has.Count.EqualTo(1));
        var history = await harness.Registry.GetAliasHistoryAsync("churn", CancellationToken.None);
        Assert.That(history, Has.Count.EqualTo(1));
        Assert.That(history[0], Is.EqualTo(new Stores.AliasChange("churn", "production", 1, null, "run run-1", "deployed by step 'deploy'",
            new DateTimeOffset(2024, 6, 1, 12, 30, 0, TimeSpan.Zero))));
        var chosen = harness.Records["evaluate"].Evaluate().Chosen;
        Assert.That(first.Message, Is.EqualTo($"churn v1 ({chosen}); production → v1"));
        Assert.That(second.Message, Is.EqualTo($"churn v1 ({chosen}); production already at v1"));
    }

    [Test]
    public async Task Execute_RegistersTheChosenCandidateWithItsLineage()
    {
        using var harness = await EvaluatedAsync();

        await harness.ExecuteAsync(harness.NewDeploy(), "deploy");

        var version = (await harness.Registry.GetAsync("churn", 1, CancellationToken.None))!;
        var chosen = harness.Records["evaluate"].Evaluate().Chosen;
        Assert.Multiple(() =>
        {
            Assert.That(version.RunId, Is.EqualTo("run-1"));
            Assert.That(version.StepId, Is.EqualTo("deploy"));
            Assert.That(version.PipelineVersion, Is.EqualTo("pipeline-version-1"));
            Assert.That(version.DataHash, Is.EqualTo("hash-of-run-1"));
            Assert.That(version.ArtifactPath, Is.EqualTo($"runs/run-1/{chosen}/model.zip"));
            Assert.That(version.Metrics, Is.EqualTo(harness.Records["evaluate"].Metrics));
            Assert.That(version.Properties, Is.EqualTo(new Dictionary<string, string>
            {
                ["task"] = "binary",
                ["trainer"] = chosen == "trees" ? "fast_tree" : "lbfgs_logistic_regression",
                ["trained_by"] = chosen,
                ["schema"] = $"runs/run-1/{chosen}/schema.json",
                ["profile"] = "runs/run-1/prep/profile.json",
            }));
            Assert.That(version.CreatedAt, Is.EqualTo(new DateTimeOffset(2024, 6, 1, 12, 30, 0, TimeSpan.Zero)));
        });
    }

    [Test]
    public async Task Execute_NextRun_RegistersTheNextVersionAndMovesTheAliasFromThePreviousOne()
    {
        using var harness = await EvaluatedAsync();
        await harness.ExecuteAsync(harness.NewDeploy(), "deploy");

        harness.NewRun("run-2");
        await PrepareTrainEvaluateAsync(harness);
        var outcome = await harness.ExecuteAsync(harness.NewDeploy(), "deploy");

        Assert.That(outcome.Deploy().Deployed.Version, Is.EqualTo(2));
        Assert.That(outcome.Message, Does.EndWith("; production v1 → v2"));
        var history = await harness.Registry.GetAliasHistoryAsync("churn", CancellationToken.None);
        Assert.That(history.Select(h => (h.Version, h.PreviousVersion, h.By)), Is.EqualTo(new[] { (1, (int?)null, "run run-1"), (2, (int?)1, "run run-2") }));
        Assert.That((await harness.Registry.GetAliasesAsync("churn", CancellationToken.None))["production"], Is.EqualTo(2));
    }

    [Test]
    public async Task Execute_WithoutEvaluate_DeploysTheSingleTrainStepUnderItsAlias()
    {
        using var harness = new StepHarness("churn",
            StepHarness.Prep(),
            StepHarness.Train("train", MlTask.Binary, "fast_tree"),
            new DeployStep { Id = "deploy", Mark = new SourceMark(1, 1), Needs = ["train"], Model = "churn-model", Alias = "staging" });
        await harness.PrepareAsync(SyntheticData.Schema(MlTask.Binary), TrainRows, TestRows);
        await harness.ExecuteAsync(harness.NewTrain(), "train");

        var outcome = await harness.ExecuteAsync(harness.NewDeploy(), "deploy");

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Succeeded), outcome.Message);
        Assert.That(await harness.Registry.GetAliasesAsync("churn-model", CancellationToken.None),
            Is.EqualTo(new Dictionary<string, int> { ["staging"] = 1 }));
        var version = (await harness.Registry.GetAsync("churn-model", 1, CancellationToken.None))!;
        Assert.That(version.Metrics, Is.EqualTo(harness.Records["train"].Metrics));
    }

    [Test]
    public async Task Execute_EmptyPreparedSlice_IsSkipped()
    {
        using var harness = new StepHarness("churn", Steps());
        await harness.PrepareAsync(SyntheticData.Schema(MlTask.Binary), TrainRows, TestRows, empty: true);

        var outcome = await harness.ExecuteAsync(harness.NewDeploy(), "deploy");

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Skipped));
        Assert.That(await harness.Registry.ListNamesAsync(CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task Execute_EvaluateFailed_RefusesToDeployTheUnevaluatedCandidates()
    {
        using var harness = new StepHarness("churn", Steps());
        await harness.PrepareAsync(SyntheticData.Schema(MlTask.Binary), TrainRows, TestRows);
        await harness.ExecuteAsync(harness.NewTrain(), "logistic");
        harness.Records["evaluate"] = new StepRecord
        {
            RunId = harness.RunId, StepId = "evaluate", Kind = "evaluate", Status = StepStatus.Failed, Error = "gate auc min 0.99 failed: 0.91",
        };

        var outcome = await harness.ExecuteAsync(harness.NewDeploy(), "deploy");

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Failed));
        Assert.That(outcome.Message, Is.EqualTo("evaluate step 'evaluate' has not succeeded (failed); nothing to deploy"));
        Assert.That(await harness.Registry.ListNamesAsync(CancellationToken.None), Is.Empty);
    }

    private static StepSpec[] Steps() =>
    [
        StepHarness.Prep(),
        StepHarness.Train("logistic", MlTask.Binary, "lbfgs_logistic_regression"),
        StepHarness.Train("trees", MlTask.Binary, "fast_tree"),
        StepHarness.Evaluate("evaluate", ["logistic", "trees"], "accuracy"),
        StepHarness.Deploy("deploy", "evaluate", "churn"),
    ];

    private static async Task<StepHarness> EvaluatedAsync()
    {
        var harness = new StepHarness("churn", Steps());
        await PrepareTrainEvaluateAsync(harness);
        return harness;
    }

    private static async Task PrepareTrainEvaluateAsync(StepHarness harness)
    {
        await harness.PrepareAsync(SyntheticData.Schema(MlTask.Binary), TrainRows, TestRows);
        await harness.ExecuteAsync(harness.NewTrain(), "logistic");
        await harness.ExecuteAsync(harness.NewTrain(), "trees");
        var evaluated = await harness.ExecuteAsync(harness.NewEvaluate(), "evaluate");
        Assert.That(evaluated.Status, Is.EqualTo(StepStatus.Succeeded), evaluated.Message);
    }
}
