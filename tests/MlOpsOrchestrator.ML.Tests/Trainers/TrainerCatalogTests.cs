using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.ML.Trainers;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Trainers;

[TestFixture]
public sealed class TrainerCatalogTests
{
    private static readonly MlNetTrainerCatalog Catalog = MlNetTrainerCatalog.Default;

    [TestCase(MlTask.Binary, "lbfgs_logistic_regression")]
    [TestCase(MlTask.Binary, "sdca_logistic_regression")]
    [TestCase(MlTask.Binary, "averaged_perceptron")]
    [TestCase(MlTask.Binary, "fast_tree")]
    [TestCase(MlTask.Binary, "fast_forest")]
    [TestCase(MlTask.Binary, "light_gbm")]
    [TestCase(MlTask.Multiclass, "lbfgs_maximum_entropy")]
    [TestCase(MlTask.Multiclass, "sdca_maximum_entropy")]
    [TestCase(MlTask.Multiclass, "light_gbm")]
    [TestCase(MlTask.Multiclass, "one_versus_all_fast_tree")]
    [TestCase(MlTask.Regression, "sdca")]
    [TestCase(MlTask.Regression, "online_gradient_descent")]
    [TestCase(MlTask.Regression, "fast_tree")]
    [TestCase(MlTask.Regression, "fast_forest")]
    [TestCase(MlTask.Regression, "fast_tree_tweedie")]
    [TestCase(MlTask.Regression, "light_gbm")]
    [TestCase(MlTask.Regression, "lbfgs_poisson")]
    public void Find_RequiredTrainer_ReturnsDescriptorWithOptions(MlTask task, string name)
    {
        var descriptor = Catalog.Find(task, name);

        Assert.That(descriptor, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(descriptor!.Name, Is.EqualTo(name));
            Assert.That(descriptor.Task, Is.EqualTo(task));
            Assert.That(descriptor.Options, Is.Not.Empty);
            Assert.That(Catalog.TrainerNames(task), Does.Contain(name));
        });
    }

    [TestCase(MlTask.Binary, "sdca")]
    [TestCase(MlTask.Regression, "no_such_trainer")]
    [TestCase(MlTask.Regression, "FastTree")]
    [TestCase(MlTask.Multiclass, "fast_tree")]
    [TestCase(MlTask.Binary, "")]
    public void Find_UnknownTrainer_ReturnsNull(MlTask task, string name)
    {
        Assert.Multiple(() =>
        {
            Assert.That(Catalog.Find(task, name), Is.Null);
            Assert.That(Catalog.FindOptionsType(task, name), Is.Null);
        });
    }

    [TestCase(MlTask.Binary)]
    [TestCase(MlTask.Multiclass)]
    [TestCase(MlTask.Regression)]
    public void Find_LightGbm_ExistsForEveryTask(MlTask task)
    {
        Assert.That(Catalog.Find(task, "light_gbm"), Is.Not.Null);
    }

    [TestCase("number_of_trees", OptionValueKind.Integer)]
    [TestCase("learning_rate", OptionValueKind.Float)]
    [TestCase("number_of_leaves", OptionValueKind.Integer)]
    [TestCase("number_of_threads", OptionValueKind.Integer)]
    [TestCase("disk_transpose", OptionValueKind.Boolean)]
    [TestCase("optimization_algorithm", OptionValueKind.Enum)]
    [TestCase("early_stopping_metric", OptionValueKind.Enum)]
    public void Find_RegressionFastTree_HasOptionOfKind(string option, OptionValueKind kind)
    {
        var options = Catalog.Find(MlTask.Regression, "fast_tree")!.Options;

        Assert.That(options, Does.ContainKey(option));
        Assert.That(options[option].Kind, Is.EqualTo(kind));
    }

    [Test]
    public void Find_EnumOption_ListsSnakeCaseValues()
    {
        var option = Catalog.Find(MlTask.Regression, "fast_tree")!.Options["optimization_algorithm"];

        Assert.That(option.EnumValues, Is.EqualTo(new[]
        {
            "gradient_descent", "accelerated_gradient_descent", "conjugate_gradient_descent",
        }));
    }

    [TestCase(MlTask.Binary, "lbfgs_logistic_regression", "l2_regularization", OptionValueKind.Float)]
    [TestCase(MlTask.Binary, "averaged_perceptron", "reset_weights_after_x_examples", OptionValueKind.Integer)]
    [TestCase(MlTask.Binary, "light_gbm", "evaluation_metric", OptionValueKind.Enum)]
    [TestCase(MlTask.Regression, "sdca", "shuffle", OptionValueKind.Boolean)]
    [TestCase(MlTask.Regression, "fast_tree_tweedie", "index", OptionValueKind.Float)]
    [TestCase(MlTask.Multiclass, "one_versus_all_fast_tree", "number_of_trees", OptionValueKind.Integer)]
    public void Find_Trainer_HasOptionOfKind(MlTask task, string name, string option, OptionValueKind kind)
    {
        var options = Catalog.Find(task, name)!.Options;

        Assert.That(options, Does.ContainKey(option));
        Assert.That(options[option].Kind, Is.EqualTo(kind));
    }

    [Test]
    public void Find_AnyTrainer_ExcludesColumnNameMembers()
    {
        var names = AllDescriptors().SelectMany(d => d.Options.Keys).ToList();

        Assert.That(names, Has.None.EndsWith("_column_name"));
    }

    [TestCase(MlTask.Binary, "light_gbm", "booster")]
    [TestCase(MlTask.Regression, "sdca", "loss_function")]
    [TestCase(MlTask.Binary, "averaged_perceptron", "loss_function")]
    [TestCase(MlTask.Binary, "lbfgs_logistic_regression", "compute_standard_deviation")]
    [TestCase(MlTask.Regression, "fast_tree", "early_stopping_rule")]
    public void Find_NonScalarMember_IsExcluded(MlTask task, string name, string option)
    {
        Assert.That(Catalog.Find(task, name)!.Options, Does.Not.ContainKey(option));
    }

    [Test]
    public void Find_AnyTrainer_KeysMatchOptionNamesAndEnumsListValues()
    {
        foreach (var descriptor in AllDescriptors())
        {
            foreach (var (key, option) in descriptor.Options)
            {
                Assert.That(option.Name, Is.EqualTo(key));
                Assert.That(key, Does.Match("^[a-z][a-z0-9_]*$"));
                Assert.That(option.EnumValues, option.Kind == OptionValueKind.Enum ? Is.Not.Empty : Is.Null);
            }
        }
    }

    [Test]
    public void TrainerNames_Regression_IsInRegistrationOrder()
    {
        Assert.That(Catalog.TrainerNames(MlTask.Regression), Is.EqualTo(new[]
        {
            "sdca", "online_gradient_descent", "fast_tree", "fast_forest", "fast_tree_tweedie", "light_gbm", "lbfgs_poisson",
        }));
    }

    [Test]
    public void Default_ReadConcurrently_ReturnsSameDescriptors()
    {
        var results = new TrainerDescriptor?[64];
        Parallel.For(0, results.Length, i => results[i] = MlNetTrainerCatalog.Default.Find(MlTask.Binary, "fast_tree"));

        Assert.That(results, Has.All.SameAs(results[0]).And.All.Not.Null);
    }

    private static IEnumerable<TrainerDescriptor> AllDescriptors() =>
        Enum.GetValues<MlTask>().SelectMany(task => Catalog.TrainerNames(task).Select(name => Catalog.Find(task, name)!));
}
