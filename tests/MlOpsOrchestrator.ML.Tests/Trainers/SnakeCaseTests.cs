using MlOpsOrchestrator.ML.Trainers;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Trainers;

[TestFixture]
public sealed class SnakeCaseTests
{
    [TestCase("NumberOfTrees", "number_of_trees")]
    [TestCase("LearningRate", "learning_rate")]
    [TestCase("Shuffle", "shuffle")]
    [TestCase("L2Regularization", "l2_regularization")]
    [TestCase("L1Regularization", "l1_regularization")]
    [TestCase("L2CategoricalRegularization", "l2_categorical_regularization")]
    [TestCase("L1Norm", "l1_norm")]
    [TestCase("ResetWeightsAfterXExamples", "reset_weights_after_x_examples")]
    [TestCase("UseRMSE", "use_rmse")]
    [TestCase("HTTPServer", "http_server")]
    [TestCase("IOStream", "io_stream")]
    [TestCase("NDCG", "ndcg")]
    [TestCase("Sha256Hash", "sha256_hash")]
    [TestCase("Top10", "top10")]
    [TestCase("X2Y", "x2_y")]
    [TestCase("AreaUnderCurve", "area_under_curve")]
    [TestCase("LogLoss", "log_loss")]
    [TestCase("Logloss", "logloss")]
    [TestCase("already_snake", "already_snake")]
    [TestCase("A", "a")]
    [TestCase("", "")]
    public void FromPascal_Name_ReturnsSnakeCase(string pascal, string expected)
    {
        Assert.That(SnakeCase.FromPascal(pascal), Is.EqualTo(expected));
    }
}
