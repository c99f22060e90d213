using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Data.Profiling;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.ML.Tests.Steps.Support;
using MlOpsOrchestrator.ML.Trainers;
using MlOpsOrchestrator.Runs;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Steps;

[TestFixture]
public sealed class TrainExecutorTests
{
    private static readonly List<SyntheticRow> TrainRows = SyntheticData.Rows(400, seed: 1);
    private static readonly List<SyntheticRow> TestRows = SyntheticData.Rows(150, seed: 2);

    [TestCase("sdca")]
    [TestCase("fast_tree")]
    [TestCase("light_gbm")]
    public async Task Execute_RegressionOnLinearData_FitsWell(string trainer)
    {
        var outcome = await TrainAsync(MlTask.Regression, trainer);

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Succeeded), outcome.Message);
        Assert.That(outcome.Metrics.Keys, Is.EquivalentTo(Metrics.For(MlTask.Regression)));
        Assert.That(outcome.Metrics["r_squared"], Is.GreaterThan(0.8));
        Assert.That(outcome.Metrics["rmse"], Is.GreaterThan(0).And.LessThan(40));
        Assert.That(outcome.Metrics["mae"], Is.LessThanOrEqualTo(outcome.Metrics["rmse"]));
    }

    [TestCase("lbfgs_logistic_regression")]
    [TestCase("fast_tree")]
    [TestCase("light_gbm")]
    public async Task Execute_BinaryCalibrated_HasEveryBinaryMetric(string trainer)
    {
        var outcome = await TrainAsync(MlTask.Binary, trainer);

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Succeeded), outcome.Message);
        Assert.That(outcome.Metrics.Keys, Is.EquivalentTo(Metrics.For(MlTask.Binary)));
        Assert.That(outcome.Metrics["auc"], Is.GreaterThan(0.85));
        Assert.That(outcome.Metrics["accuracy"], Is.GreaterThan(0.75));
        Assert.That(outcome.Metrics["log_loss"], Is.GreaterThan(0));
    }

    [TestCase("averaged_perceptron")]
    [TestCase("fast_forest")]
    public async Task Execute_BinaryWithoutProbability_HasNoLogLossAndSaysSo(string trainer)
    {
        var outcome = await TrainAsync(MlTask.Binary, trainer);

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Succeeded), outcome.Message);
        Assert.That(outcome.Metrics.Keys, Is.EquivalentTo(Metrics.For(MlTask.Binary).Where(m => m != "log_loss")));
        Assert.That(outcome.Metrics["auc"], Is.GreaterThan(0.85));
        Assert.That(outcome.Message, Does.EndWith("not available for this trainer: log_loss"));
    }

    [TestCase("lbfgs_maximum_entropy")]
    [TestCase("light_gbm")]
    [TestCase("one_versus_all_fast_tree")]
    public async Task Execute_Multiclass_HasMulticlassMetrics(string trainer)
    {
        var outcome = await TrainAsync(MlTask.Multiclass, trainer);

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Succeeded), outcome.Message);
        Assert.That(outcome.Metrics.Keys, Is.EquivalentTo(Metrics.For(MlTask.Multiclass)));
        Assert.That(outcome.Metrics["micro_accuracy"], Is.GreaterThan(0.8));
        Assert.That(outcome.Metrics["macro_accuracy"], Is.GreaterThan(0.7));
    }

    [Test]
    public async Task Execute_EveryTrainerOfTheCatalog_TrainsAndMeasures()
    {
        var train = SyntheticData.Rows(300, seed: 3);
        var test = SyntheticData.Rows(100, seed: 4);
        var failures = new List<string>();
        foreach (var task in new[] { MlTask.Regression, MlTask.Binary, MlTask.Multiclass })
        {
            foreach (var trainer in MlNetTrainerCatalog.Default.TrainerNames(task))
            {
                var outcome = await TrainAsync(task, trainer, train: train, test: test);
                var primary = Metrics.Default(task);
                if (outcome.Status != StepStatus.Succeeded || !outcome.Metrics.ContainsKey(primary))
                {
                    failures.Add($"{task} {trainer}: {outcome.Status} {outcome.Message}");
                }
            }
        }

        Assert.That(failures, Is.Empty);
    }

    [Test]
    public async Task Execute_Succeeded_WritesModelAndSchemaAndRecordsTaskAndTrainer()
    {
        using var harness = new StepHarness("demand", StepHarness.Prep(), StepHarness.Train("train", MlTask.Regression, "fast_tree"));
        await harness.PrepareAsync(SyntheticData.Schema(MlTask.Regression), TrainRows, TestRows);

        var outcome = await harness.ExecuteAsync(harness.NewTrain(), "train");

        Assert.That(outcome.Artifacts, Is.EqualTo(new Dictionary<string, string>
        {
            ["model"] = "runs/run-1/train/model.zip",
            ["schema"] = "runs/run-1/train/schema.json",
        }));
        Assert.That(outcome.Result, Is.EqualTo(new TrainResult { Task = MlTask.Regression, Trainer = "fast_tree", MeasuredOn = "prep" }));
        Assert.That(harness.Artifacts.Exists("runs/run-1/train/model.zip"), Is.True);
        var schema = DatasetSchemaJson.Deserialize(File.ReadAllText(harness.Artifacts.PathOf("runs/run-1/train/schema.json")));
        Assert.That(schema.Features.Select(c => c.Name), Is.EqualTo(new[] { "amount", "visits", "segment", "member", "note" }),
            "datetime 'opened' is not listed in features:, so the model's schema marks it ignored");
    }

    [Test]
    public async Task Execute_Progress_ReportsRowsBeforeAndElapsedAfterFit()
    {
        using var harness = new StepHarness("demand", StepHarness.Prep(), StepHarness.Train("train", MlTask.Regression, "sdca"));
        await harness.PrepareAsync(SyntheticData.Schema(MlTask.Regression), TrainRows, TestRows);

        await harness.ExecuteAsync(harness.NewTrain(), "train");

        Assert.That(harness.Progress, Has.Some.StartsWith("train: fitting sdca on 400 rows, 5 feature columns"));
        Assert.That(harness.Progress, Has.Some.Match(@"^train: fitted sdca on 400 rows in \d+\.\d s$"));
        Assert.That(harness.Progress, Has.Some.StartsWith("train: measured on 150 test rows in "));
    }

    [Test]
    public async Task Execute_DatetimeListedInFeatures_UsesItsHourAndScoresBetter()
    {
        var train = SyntheticData.Rows(400, seed: 5, missingAmount: 0);
        var test = SyntheticData.Rows(150, seed: 6, missingAmount: 0);
        var without = await TrainAsync(MlTask.Regression, "sdca", features: ["amount", "visits", "segment", "member"], train: train, test: test);
        var with = await TrainAsync(MlTask.Regression, "sdca", features: ["amount", "visits", "segment", "member", "opened"], train: train, test: test);

        Assert.That(with.Status, Is.EqualTo(StepStatus.Succeeded), with.Message);
        Assert.That(with.Metrics["rmse"], Is.LessThan(without.Metrics["rmse"] * 0.8), "demand grows by one per hour of 'opened'");
    }

    [Test]
    public async Task Execute_EmptyPreparedSlice_IsSkippedWithANote()
    {
        using var harness = new StepHarness("demand", StepHarness.Prep(), StepHarness.Train("train", MlTask.Regression, "sdca"));
        await harness.PrepareAsync(SyntheticData.Schema(MlTask.Regression), TrainRows, TestRows, empty: true);

        var outcome = await harness.ExecuteAsync(harness.NewTrain(), "train");

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Skipped));
        Assert.That(outcome.Message, Is.EqualTo("data_prep step 'prep' found no new rows; nothing to train"));
    }

    [Test]
    public async Task Execute_UnknownOption_FailsListingTheValidOptions()
    {
        var outcome = await TrainAsync(MlTask.Regression, "fast_tree", new Dictionary<string, object> { ["number_of_treez"] = 10L });

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Failed));
        Assert.That(outcome.Message, Does.StartWith("The regression trainer 'fast_tree' has no option 'number_of_treez'. Valid options: "));
        Assert.That(outcome.Message, Does.Contain("number_of_trees"));
    }

    [Test]
    public async Task Execute_UnknownFeature_FailsNamingItAndTheColumns()
    {
        var outcome = await TrainAsync(MlTask.Regression, "sdca", features: ["amount", "amuont", "demand"]);

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Failed));
        Assert.That(outcome.Message, Is.EqualTo(
            "feature 'amuont' is not a column of the prepared data; columns: amount, visits, segment, member, note, opened, ts, demand, churned, team; "
            + "feature 'demand' is the label"));
    }

    [Test]
    public async Task Execute_LabelOfTheWrongTypeForTheTask_FailsWithAClearMessage()
    {
        var schema = SyntheticData.Schema(MlTask.Regression) with { Label = "team" };

        var outcome = await TrainAsync(MlTask.Regression, "sdca", schema: schema);

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Failed));
        Assert.That(outcome.Message, Is.EqualTo("label 'team' is String in the prepared data, expected Single for Single (regression task)"));
    }

    [Test]
    public async Task Execute_BadDataForTheTrainer_FailsInsteadOfThrowing()
    {
        // Every label the same: the binary evaluator cannot compute an AUC, which ML.NET reports by throwing.
        var train = TrainRows.Select(r => new SyntheticRow { Amount = r.Amount, Visits = r.Visits, Segment = r.Segment, Note = r.Note, Churned = true }).ToList();

        var outcome = await TrainAsync(MlTask.Binary, "lbfgs_logistic_regression", train: train, test: train);

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Failed));
        Assert.That(outcome.Message, Does.StartWith("measuring the model on the test set failed: ").Or.StartWith("training lbfgs_logistic_regression failed: "));
    }

    [Test]
    public async Task Execute_NoDataPrepUpstream_Fails()
    {
        using var harness = new StepHarness("demand", StepHarness.Prep(), StepHarness.Train("train", MlTask.Regression, "sdca"));

        var outcome = await harness.ExecuteAsync(harness.NewTrain(), "train");

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Failed));
        Assert.That(outcome.Message, Is.EqualTo("train step 'train' has no finished data_prep step upstream; add one to its needs"));
    }

    internal static async Task<StepOutcome> TrainAsync(
        MlTask task, string trainer, IReadOnlyDictionary<string, object>? options = null, IReadOnlyList<string>? features = null,
        DatasetSchema? schema = null, IReadOnlyList<SyntheticRow>? train = null, IReadOnlyList<SyntheticRow>? test = null)
    {
        using var harness = new StepHarness("p", StepHarness.Prep(), StepHarness.Train("train", task, trainer, options, features));
        await harness.PrepareAsync(schema ?? SyntheticData.Schema(task), train ?? TrainRows, test ?? TestRows);
        return await harness.ExecuteAsync(harness.NewTrain(), "train");
    }
}
