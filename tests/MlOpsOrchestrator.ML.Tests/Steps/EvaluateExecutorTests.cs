using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Data.Profiling;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.ML.Tests.Steps.Support;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;
using MlOpsOrchestrator.ML.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Steps;

[TestFixture]
public sealed class EvaluateExecutorTests
{
    private static readonly List<SyntheticRow> TrainRows = SyntheticData.Rows(400, seed: 11);
    private static readonly List<SyntheticRow> TestRows = SyntheticData.Rows(150, seed: 12);

    /// <summary>One tree with two leaves: a deliberately weak regression model.</summary>
    private static readonly Dictionary<string, object> Stump = new() { ["number_of_trees"] = 1L, ["number_of_leaves"] = 2L };

    [Test]
    public async Task Execute_TwoCandidates_ChoosesTheBestByTheDefaultMetric()
    {
        using var harness = await TrainedAsync(Evaluate(["weak", "good"]));

        var outcome = await harness.ExecuteAsync(harness.NewEvaluate(), "evaluate");

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Succeeded), outcome.Message);
        Assert.That(outcome.Result, Is.EqualTo(new EvaluateResult { Chosen = "good" }));
        Assert.That(outcome.Metrics, Is.EqualTo(harness.Records["good"].Metrics), "the chosen candidate's metrics, on the same test set");
        Assert.That(outcome.Message, Does.StartWith("chose good (sdca) by r_squared ").And.Contain(" over weak ").And.EndWith("; no production model yet"));
    }

    [Test]
    public async Task Execute_CandidatesMeasuredOnTheSameTestSet_ReusesTheirMetricsWhichEqualAFreshMeasurement()
    {
        using var harness = await TrainedAsync(Evaluate(["weak", "good"]));
        var reused = await harness.ExecuteAsync(harness.NewEvaluate(), "evaluate");
        foreach (var id in new[] { "weak", "good" })
        {
            var record = harness.Records[id];
            harness.Records[id] = record with { Result = record.Train() with { MeasuredOn = null } };
        }

        var measured = await harness.ExecuteAsync(harness.NewEvaluate(), "evaluate");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reused.Metrics, Is.EqualTo(measured.Metrics), "scoring the chosen model again on the same rows gives the same numbers");
            Assert.That(harness.Progress, Has.Some.Contains("good (sdca), as measured by it on the same test set"));
            Assert.That(harness.Progress, Has.Some.Match(@"^evaluate: good \(sdca\): "), "without measured_on the candidate is scored again");
        }
    }

    [Test]
    public async Task Execute_LowerIsBetterPrimaryMetric_ChoosesTheSmallest()
    {
        using var harness = await TrainedAsync(Evaluate(["good", "weak"], primary: "rmse"));

        var outcome = await harness.ExecuteAsync(harness.NewEvaluate(), "evaluate");

        Assert.That(outcome.Evaluate().Chosen, Is.EqualTo("good"));
        Assert.That(harness.Records["good"].Metrics["rmse"], Is.LessThan(harness.Records["weak"].Metrics["rmse"]));
    }

    [Test]
    public async Task Execute_PrimaryMetricDefaultsToTheFirstGate()
    {
        // mae of the stump is worse too, so both rules pick 'good'; the message shows which metric decided.
        using var harness = await TrainedAsync(Evaluate(["weak", "good"], null, StepHarness.Gate("mae", GateKind.Max, 1000)));

        var outcome = await harness.ExecuteAsync(harness.NewEvaluate(), "evaluate");

        Assert.That(outcome.Message, Does.StartWith("chose good (sdca) by mae "));
    }

    [Test]
    public async Task Execute_FailedAbsoluteGate_FailsWithTheExactMessageAndKeepsTheMetrics()
    {
        using var harness = await TrainedAsync(Evaluate(["weak", "good"], null, StepHarness.Gate("r_squared", GateKind.Min, 0.999)));

        var outcome = await harness.ExecuteAsync(harness.NewEvaluate(), "evaluate");

        var r2 = harness.Records["good"].Metrics["r_squared"];
        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Failed));
        Assert.That(outcome.Message, Is.EqualTo($"gate r_squared min 0.999 failed: {StepOutcomes.Number(r2)}"));
        Assert.That(outcome.Metrics["r_squared"], Is.EqualTo(r2));
        Assert.That(outcome.Evaluate().Chosen, Is.EqualTo("good"));
    }

    [Test]
    public async Task Execute_SeveralFailedGates_ListsEveryFailure()
    {
        using var harness = await TrainedAsync(Evaluate(["good"], null,
            StepHarness.Gate("r_squared", GateKind.Min, 0.999),
            StepHarness.Gate("mae", GateKind.Min, 0),
            StepHarness.Gate("rmse", GateKind.Max, 0.5)));

        var outcome = await harness.ExecuteAsync(harness.NewEvaluate(), "evaluate");

        var metrics = harness.Records["good"].Metrics;
        Assert.That(outcome.Message, Is.EqualTo(
            $"gate r_squared min 0.999 failed: {StepOutcomes.Number(metrics["r_squared"])}; gate rmse max 0.5 failed: {StepOutcomes.Number(metrics["rmse"])}"));
    }

    [Test]
    public async Task Execute_MaxIncreaseAgainstProduction_FailsWhenTheCandidateIsWorse()
    {
        using var harness = new StepHarness("demand", Pipeline("sdca", Evaluate(["train"])));
        await RunToProductionAsync(harness);
        var production = (await harness.Registry.GetAsync("demand", 1, CancellationToken.None))!;

        harness.NewRun("run-2");
        harness.Definition = harness.Definition with
        {
            Spec = harness.Definition.Spec with
            {
                Steps = Pipeline("fast_tree", Evaluate(["train"], null, StepHarness.Gate("rmse", GateKind.MaxIncrease, 0.05)), Stump),
            },
        };
        await harness.PrepareAsync(SyntheticData.Schema(MlTask.Regression), TrainRows, TestRows);
        await harness.ExecuteAsync(harness.NewTrain(), "train");
        var outcome = await harness.ExecuteAsync(harness.NewEvaluate(), "evaluate");

        var rmse = outcome.Metrics["rmse"];
        var baseline = outcome.Metrics["production_rmse"];
        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Failed));
        Assert.That(baseline, Is.EqualTo(production.Metrics["rmse"]).Within(1e-9), "production is measured on the same test set");
        var change = ((rmse - baseline) / baseline * 100).ToString("+0.0;-0.0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(outcome.Message, Is.EqualTo(
            $"gate rmse max_increase 0.05 failed: {StepOutcomes.Number(rmse)} vs production {StepOutcomes.Number(baseline)} ({change}%)"));
        Assert.That(outcome.Result, Is.EqualTo(new EvaluateResult { Chosen = "train", ProductionVersion = 1, Rejected = true }));
    }

    [Test]
    public async Task Execute_RelativeGateFailsInAnAutomatedRun_KeepsTheCandidateBackAndSucceeds()
    {
        var outcome = await WorseCandidateAsync("nightly", StepHarness.Gate("rmse", GateKind.MaxIncrease, 0.05));

        var rmse = outcome.Metrics["rmse"];
        var baseline = outcome.Metrics["production_rmse"];
        var change = ((rmse - baseline) / baseline * 100).ToString("+0.0;-0.0", System.Globalization.CultureInfo.InvariantCulture);
        var gate = $"gate rmse max_increase 0.05 failed: {StepOutcomes.Number(rmse)} vs production {StepOutcomes.Number(baseline)} ({change}%)";
        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Succeeded), outcome.Message);
        Assert.That(outcome.Evaluate().Rejected, Is.False);
        Assert.That(outcome.Evaluate().HeldBack, Is.EqualTo(gate + $"; r_squared {StepOutcomes.Number(outcome.Metrics["r_squared"])} <= 0 (no better than always predicting the mean)"));
        Assert.That(outcome.Message, Does.Contain("; not to be deployed: " + gate));
    }

    [Test]
    public async Task Execute_AbsoluteGateFailsInAnAutomatedRun_StillFails()
    {
        var outcome = await WorseCandidateAsync("nightly",
            StepHarness.Gate("rmse", GateKind.MaxIncrease, 0.05), StepHarness.Gate("r_squared", GateKind.Min, 0.999));

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Failed));
        Assert.That(outcome.Evaluate().Rejected, Is.True);
        Assert.That(outcome.Message, Does.StartWith("gate rmse max_increase 0.05 failed: ").And.Contain("; gate r_squared min 0.999 failed: "));
    }

    [Test]
    public async Task Execute_RelativeGateFailsInARunAPersonStarted_Fails()
    {
        var outcome = await WorseCandidateAsync("manual", StepHarness.Gate("rmse", GateKind.MaxIncrease, 0.05));

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Failed));
        Assert.That(outcome.Evaluate().Rejected, Is.True);
    }

    /// <summary>Production is a good sdca model; a second run, started through <paramref name="trigger"/>, evaluates a stump against it.</summary>
    private static async Task<StepOutcome> WorseCandidateAsync(string trigger, params GateSpec[] gates)
    {
        using var harness = new StepHarness("demand", Pipeline("sdca", Evaluate(["train"])));
        await RunToProductionAsync(harness);
        harness.NewRun("run-2");
        harness.Trigger = trigger;
        harness.Definition = harness.Definition with
        {
            Spec = harness.Definition.Spec with
            {
                Triggers = [new TriggerSpec { Id = "nightly", Cron = "0 0 2 * * ?", Mark = new SourceMark(1, 1) }],
                Steps = Pipeline("fast_tree", Evaluate(["train"], null, gates), Stump),
            },
        };
        await harness.PrepareAsync(SyntheticData.Schema(MlTask.Regression), TrainRows, TestRows);
        await harness.ExecuteAsync(harness.NewTrain(), "train");
        return await harness.ExecuteAsync(harness.NewEvaluate(), "evaluate");
    }

    [Test]
    public async Task Execute_MaxIncreaseAgainstProduction_PassesWhenTheCandidateIsAsGood()
    {
        using var harness = new StepHarness("demand", Pipeline("sdca", Evaluate(["train"], null, StepHarness.Gate("rmse", GateKind.MaxIncrease, 0.05))));
        await RunToProductionAsync(harness);

        harness.NewRun("run-2");
        await harness.PrepareAsync(SyntheticData.Schema(MlTask.Regression), TrainRows, TestRows);
        await harness.ExecuteAsync(harness.NewTrain(), "train");
        var outcome = await harness.ExecuteAsync(harness.NewEvaluate(), "evaluate");

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Succeeded), outcome.Message);
        Assert.That(outcome.Metrics.Keys, Is.SupersetOf(new[] { "rmse", "production_rmse", "production_r_squared", "production_mae" }));
        Assert.That(outcome.Message, Does.Contain("; production demand v1: r_squared "));
    }

    [Test]
    public async Task Execute_RelativeGateWithoutProduction_Passes()
    {
        using var harness = await TrainedAsync(Evaluate(["weak"], null, StepHarness.Gate("rmse", GateKind.MaxIncrease, 0.0)));

        var outcome = await harness.ExecuteAsync(harness.NewEvaluate(), "evaluate");

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Succeeded), outcome.Message);
        Assert.That(outcome.Evaluate().ProductionVersion, Is.Null);
    }

    [Test]
    public async Task Execute_ProductionOfAnotherTask_IsNotComparedAndSaysWhy()
    {
        using var harness = await TrainedAsync(Evaluate(["good"], null, StepHarness.Gate("rmse", GateKind.MaxIncrease, 0.0)));
        var registered = await harness.Registry.RegisterAsync(new ModelVersion
        {
            Name = "demand", Version = 0, RunId = "old", StepId = "deploy", PipelineVersion = "v0", DataHash = "h",
            ArtifactPath = "old/model.zip", CreatedAt = DateTimeOffset.UnixEpoch,
            Properties = new Dictionary<string, string> { ["task"] = "binary", ["schema"] = "old/schema.json" },
        }, CancellationToken.None);
        await harness.Registry.MoveAliasAsync("demand", "production", registered.Version, "test", null, DateTimeOffset.UnixEpoch, CancellationToken.None);

        var outcome = await harness.ExecuteAsync(harness.NewEvaluate(), "evaluate");

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Succeeded), outcome.Message);
        Assert.That(outcome.Message, Does.EndWith("; production demand v1 not compared: it is a binary model, the candidates are regression"));
        Assert.That(outcome.Metrics.Keys, Has.None.StartsWith("production_"));
    }

    [Test]
    public async Task Execute_ProductionWithColumnsTheTestSetLacks_IsNotCompared()
    {
        using var harness = new StepHarness("demand", Pipeline("sdca", Evaluate(["train"], null, StepHarness.Gate("rmse", GateKind.MaxIncrease, 0.0))));
        await RunToProductionAsync(harness);
        var production = (await harness.Registry.GetAsync("demand", 1, CancellationToken.None))!;
        var schema = DatasetSchemaJson.Deserialize(File.ReadAllText(harness.Artifacts.PathOf(production.Properties["schema"])));
        var renamed = schema with { Columns = [.. schema.Columns.Select(c => c.Name == "visits" ? c with { Name = "visit_count" } : c)] };
        await harness.Artifacts.WriteAsync(production.Properties["schema"], (s, ct) => DatasetSchemaJson.WriteAsync(s, renamed, ct), CancellationToken.None);

        harness.NewRun("run-2");
        await harness.PrepareAsync(SyntheticData.Schema(MlTask.Regression), TrainRows, TestRows);
        await harness.ExecuteAsync(harness.NewTrain(), "train");
        var outcome = await harness.ExecuteAsync(harness.NewEvaluate(), "evaluate");

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Succeeded), outcome.Message);
        Assert.That(outcome.Message, Does.EndWith(
            "; production demand v1 not compared: its schema is incompatible with this test set (column 'visit_count' is missing)"));
    }

    [Test]
    public async Task Execute_CandidatesOfDifferentTasks_Fails()
    {
        using var harness = new StepHarness("mixed",
            StepHarness.Prep(),
            StepHarness.Train("a", MlTask.Regression, "sdca"),
            StepHarness.Train("b", MlTask.Binary, "fast_tree"),
            Evaluate(["a", "b"]));
        await harness.PrepareAsync(SyntheticData.Schema(MlTask.Regression), TrainRows, TestRows);
        harness.Records["a"] = Trained("a", MlTask.Regression);
        harness.Records["b"] = Trained("b", MlTask.Binary);

        var outcome = await harness.ExecuteAsync(harness.NewEvaluate(), "evaluate");

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Failed));
        Assert.That(outcome.Message, Is.EqualTo("the candidates must be trained for one task; got a: regression, b: binary"));
    }

    [Test]
    public async Task Execute_Multiclass_ChoosesAndMeasures()
    {
        using var harness = new StepHarness("teams",
            StepHarness.Prep(),
            StepHarness.Train("maxent", MlTask.Multiclass, "lbfgs_maximum_entropy"),
            StepHarness.Train("trees", MlTask.Multiclass, "light_gbm"),
            Evaluate(["maxent", "trees"], "macro_accuracy", StepHarness.Gate("micro_accuracy", GateKind.Min, 0.7)));
        await harness.PrepareAsync(SyntheticData.Schema(MlTask.Multiclass), TrainRows, TestRows);
        await harness.ExecuteAsync(harness.NewTrain(), "maxent");
        await harness.ExecuteAsync(harness.NewTrain(), "trees");

        var outcome = await harness.ExecuteAsync(harness.NewEvaluate(), "evaluate");

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Succeeded), outcome.Message);
        var best = new[] { "maxent", "trees" }.MaxBy(id => harness.Records[id].Metrics["macro_accuracy"]);
        Assert.That(outcome.Evaluate().Chosen, Is.EqualTo(best));
        Assert.That(outcome.Metrics["micro_accuracy"], Is.EqualTo(harness.Records[best!].Metrics["micro_accuracy"]).Within(1e-12));
    }

    private static EvaluateStep Evaluate(IReadOnlyList<string> needs, string? primary = null, params GateSpec[] gates) =>
        StepHarness.Evaluate("evaluate", needs, primary, gates);

    private static StepSpec[] Pipeline(string trainer, EvaluateStep evaluate, IReadOnlyDictionary<string, object>? options = null) =>
    [
        StepHarness.Prep(),
        StepHarness.Train("train", MlTask.Regression, trainer, options),
        evaluate,
        StepHarness.Deploy("deploy", "evaluate", "demand"),
    ];

    /// <summary>Prepares data and trains 'good' (sdca) and 'weak' (a stump) regression candidates.</summary>
    private static async Task<StepHarness> TrainedAsync(EvaluateStep evaluate)
    {
        var harness = new StepHarness("demand",
            StepHarness.Prep(),
            StepHarness.Train("good", MlTask.Regression, "sdca"),
            StepHarness.Train("weak", MlTask.Regression, "fast_tree", Stump),
            evaluate,
            StepHarness.Deploy("deploy", "evaluate", "demand"));
        await harness.PrepareAsync(SyntheticData.Schema(MlTask.Regression), TrainRows, TestRows);
        await harness.ExecuteAsync(harness.NewTrain(), "good");
        await harness.ExecuteAsync(harness.NewTrain(), "weak");
        return harness;
    }

    /// <summary>A whole first run: prep, train, evaluate and deploy, so 'demand' v1 is in production.</summary>
    private static async Task RunToProductionAsync(StepHarness harness)
    {
        await harness.PrepareAsync(SyntheticData.Schema(MlTask.Regression), TrainRows, TestRows);
        await harness.ExecuteAsync(harness.NewTrain(), "train");
        var evaluated = await harness.ExecuteAsync(harness.NewEvaluate(), "evaluate");
        var deployed = await harness.ExecuteAsync(harness.NewDeploy(), "deploy");
        Assert.That(evaluated.Status, Is.EqualTo(StepStatus.Succeeded), evaluated.Message);
        Assert.That(deployed.Status, Is.EqualTo(StepStatus.Succeeded), deployed.Message);
    }

    private static StepRecord Trained(string id, MlTask task) => new()
    {
        RunId = "run-1", StepId = id, Kind = "train", Status = StepStatus.Succeeded,
        Result = new TrainResult { Task = task, Trainer = "sdca" },
    };
}
