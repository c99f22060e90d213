using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.ML.Trainers;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Trainers;

[TestFixture]
public sealed class CreateOptionsTests
{
    private static readonly MlNetTrainerCatalog Catalog = MlNetTrainerCatalog.Default;

    [Test]
    public void CreateOptions_FastTreeRegression_SetsConvertedValues()
    {
        var options = Catalog.CreateOptions(MlTask.Regression, "fast_tree", new Dictionary<string, object?>
        {
            ["number_of_trees"] = 200L,
            ["learning_rate"] = 0.1,
            ["number_of_leaves"] = 31L,
            ["optimization_algorithm"] = "accelerated_gradient_descent",
            ["early_stopping_metric"] = "l2_norm",
            ["number_of_threads"] = 2L,
            ["disk_transpose"] = null,
        });

        var fastTree = (FastTreeRegressionTrainer.Options)options;
        Assert.Multiple(() =>
        {
            Assert.That(fastTree.NumberOfTrees, Is.EqualTo(200));
            Assert.That(fastTree.LearningRate, Is.EqualTo(0.1));
            Assert.That(fastTree.NumberOfLeaves, Is.EqualTo(31));
            Assert.That(fastTree.OptimizationAlgorithm, Is.EqualTo(BoostedTreeOptions.OptimizationAlgorithmType.AcceleratedGradientDescent));
            Assert.That(fastTree.EarlyStoppingMetric, Is.EqualTo(EarlyStoppingMetric.L2Norm));
            Assert.That(fastTree.NumberOfThreads, Is.EqualTo(2));
            Assert.That(fastTree.DiskTranspose, Is.Null);
        });
    }

    [Test]
    public void CreateOptions_FloatOptions_AcceptDoubleAndWholeNumbers()
    {
        var options = (LbfgsLogisticRegressionBinaryTrainer.Options)Catalog.CreateOptions(
            MlTask.Binary,
            "lbfgs_logistic_regression",
            new Dictionary<string, object?> { ["l2_regularization"] = 0.5, ["l1_regularization"] = 1L, ["show_training_statistics"] = true });

        Assert.Multiple(() =>
        {
            Assert.That(options.L2Regularization, Is.EqualTo(0.5f));
            Assert.That(options.L1Regularization, Is.EqualTo(1f));
            Assert.That(options.ShowTrainingStatistics, Is.True);
        });
    }

    [Test]
    public void CreateOptions_LongOption_KeepsLongValue()
    {
        var options = (AveragedPerceptronTrainer.Options)Catalog.CreateOptions(
            MlTask.Binary, "averaged_perceptron", new Dictionary<string, object?> { ["reset_weights_after_x_examples"] = 5_000_000_000L });

        Assert.That(options.ResetWeightsAfterXExamples, Is.EqualTo(5_000_000_000L));
    }

    [Test]
    public void CreateOptions_NoValues_ReturnsDefaultOptionsOfTheTrainer()
    {
        var options = Catalog.CreateOptions(MlTask.Multiclass, "one_versus_all_fast_tree", new Dictionary<string, object?>());

        Assert.That(options, Is.TypeOf<FastTreeBinaryTrainer.Options>());
    }

    [Test]
    public void CreateOptions_LightGbmEnum_UsesSnakeCaseValueNames()
    {
        var options = (LightGbmRegressionTrainer.Options)Catalog.CreateOptions(
            MlTask.Regression, "light_gbm", new Dictionary<string, object?> { ["evaluation_metric"] = "root_mean_squared_error" });

        Assert.That(options.EvaluationMetric, Is.EqualTo(LightGbmRegressionTrainer.Options.EvaluateMetricType.RootMeanSquaredError));
    }

    [Test]
    public void CreateOptions_UnknownOption_ThrowsListingValidOptions()
    {
        var ex = Assert.Throws<ArgumentException>(() => Catalog.CreateOptions(
            MlTask.Regression, "fast_tree", new Dictionary<string, object?> { ["number_of_tress"] = 10L }));

        Assert.That(ex!.Message, Does.Contain("number_of_tress").And.Contain("Valid options:").And.Contain("number_of_trees"));
    }

    [TestCase("label_column_name", "Label")]
    [TestCase("booster", "gbdt")]
    public void CreateOptions_ExcludedMember_IsUnknown(string option, object value)
    {
        var ex = Assert.Throws<ArgumentException>(() => Catalog.CreateOptions(
            MlTask.Binary, "light_gbm", new Dictionary<string, object?> { [option] = value }));

        Assert.That(ex!.Message, Does.Contain($"no option '{option}'"));
    }

    [TestCase("number_of_trees", "many", "expects a whole number")]
    [TestCase("number_of_trees", 2.5, "expects a whole number")]
    [TestCase("number_of_trees", 3_000_000_000L, "out of range")]
    [TestCase("number_of_trees", null, "cannot be null")]
    [TestCase("learning_rate", "fast", "expects a number")]
    [TestCase("learning_rate", double.NaN, "finite")]
    [TestCase("enable_pruning", "true", "expects true or false")]
    [TestCase("enable_pruning", 1L, "expects true or false")]
    [TestCase("optimization_algorithm", "newton", "one of: gradient_descent, accelerated_gradient_descent")]
    [TestCase("optimization_algorithm", "GradientDescent", "one of:")]
    [TestCase("optimization_algorithm", 1L, "one of:")]
    public void CreateOptions_UnconvertibleValue_ThrowsNamingOption(string option, object? value, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => Catalog.CreateOptions(
            MlTask.Regression, "fast_tree", new Dictionary<string, object?> { [option] = value }));

        Assert.That(ex!.Message, Does.Contain($"'{option}'").And.Contain("regression trainer 'fast_tree'").And.Contain(expected));
    }

    [Test]
    public void CreateOptions_FloatOverflow_Throws()
    {
        Assert.Throws<ArgumentException>(() => Catalog.CreateOptions(
            MlTask.Binary, "lbfgs_logistic_regression", new Dictionary<string, object?> { ["l2_regularization"] = 1e300 }));
    }

    [Test]
    public void CreateOptions_UnknownTrainer_ThrowsListingValidTrainers()
    {
        var ex = Assert.Throws<ArgumentException>(() => Catalog.CreateOptions(
            MlTask.Multiclass, "fast_tree", new Dictionary<string, object?>()));

        Assert.That(ex!.Message, Does.Contain("'fast_tree'").And.Contain("one_versus_all_fast_tree"));
    }
}
