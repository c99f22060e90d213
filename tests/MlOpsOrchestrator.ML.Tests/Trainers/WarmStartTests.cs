using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.ML.Trainers;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Trainers;

/// <summary>
/// The catalog hard-codes which trainers support <c>warm_start</c>; these tests hold that table to what ML.NET
/// actually offers: a public <c>Fit(IDataView, SomeModelParameters)</c> overload.
/// </summary>
[TestFixture]
public sealed class WarmStartTests
{
    [TestCase(MlTask.Binary, "lbfgs_logistic_regression", typeof(LbfgsLogisticRegressionBinaryTrainer), typeof(LbfgsLogisticRegressionBinaryTrainer.Options), true)]
    [TestCase(MlTask.Binary, "sdca_logistic_regression", typeof(SdcaLogisticRegressionBinaryTrainer), typeof(SdcaLogisticRegressionBinaryTrainer.Options), false)]
    [TestCase(MlTask.Binary, "averaged_perceptron", typeof(AveragedPerceptronTrainer), typeof(AveragedPerceptronTrainer.Options), true)]
    [TestCase(MlTask.Binary, "fast_tree", typeof(FastTreeBinaryTrainer), typeof(FastTreeBinaryTrainer.Options), false)]
    [TestCase(MlTask.Binary, "fast_forest", typeof(FastForestBinaryTrainer), typeof(FastForestBinaryTrainer.Options), false)]
    [TestCase(MlTask.Binary, "light_gbm", typeof(LightGbmBinaryTrainer), typeof(LightGbmBinaryTrainer.Options), false)]
    [TestCase(MlTask.Multiclass, "lbfgs_maximum_entropy", typeof(LbfgsMaximumEntropyMulticlassTrainer), typeof(LbfgsMaximumEntropyMulticlassTrainer.Options), true)]
    [TestCase(MlTask.Multiclass, "sdca_maximum_entropy", typeof(SdcaMaximumEntropyMulticlassTrainer), typeof(SdcaMaximumEntropyMulticlassTrainer.Options), false)]
    [TestCase(MlTask.Multiclass, "light_gbm", typeof(LightGbmMulticlassTrainer), typeof(LightGbmMulticlassTrainer.Options), false)]
    [TestCase(MlTask.Multiclass, "one_versus_all_fast_tree", typeof(OneVersusAllTrainer), typeof(FastTreeBinaryTrainer.Options), false)]
    [TestCase(MlTask.Regression, "sdca", typeof(SdcaRegressionTrainer), typeof(SdcaRegressionTrainer.Options), false)]
    [TestCase(MlTask.Regression, "online_gradient_descent", typeof(OnlineGradientDescentTrainer), typeof(OnlineGradientDescentTrainer.Options), true)]
    [TestCase(MlTask.Regression, "fast_tree", typeof(FastTreeRegressionTrainer), typeof(FastTreeRegressionTrainer.Options), false)]
    [TestCase(MlTask.Regression, "fast_forest", typeof(FastForestRegressionTrainer), typeof(FastForestRegressionTrainer.Options), false)]
    [TestCase(MlTask.Regression, "fast_tree_tweedie", typeof(FastTreeTweedieTrainer), typeof(FastTreeTweedieTrainer.Options), false)]
    [TestCase(MlTask.Regression, "light_gbm", typeof(LightGbmRegressionTrainer), typeof(LightGbmRegressionTrainer.Options), false)]
    [TestCase(MlTask.Regression, "lbfgs_poisson", typeof(LbfgsPoissonRegressionTrainer), typeof(LbfgsPoissonRegressionTrainer.Options), true)]
    public void SupportsWarmStart_Trainer_MatchesExpectedTableAndReflection(
        MlTask task, string name, Type trainerType, Type optionsType, bool expected)
    {
        var registration = MlNetTrainerCatalog.Default.FindRegistration(task, name);

        Assert.That(registration, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(registration!.TrainerType, Is.EqualTo(trainerType));
            Assert.That(MlNetTrainerCatalog.Default.FindOptionsType(task, name), Is.EqualTo(optionsType));
            Assert.That(HasWarmStartFit(trainerType), Is.EqualTo(expected), "reflection over ML.NET");
            Assert.That(MlNetTrainerCatalog.Default.Find(task, name)!.SupportsWarmStart, Is.EqualTo(expected), "catalog");
        });
    }

    [Test]
    public void SupportsWarmStart_EveryRegisteredTrainer_MatchesReflection()
    {
        Assert.Multiple(() =>
        {
            foreach (var registration in TrainerRegistry.All)
            {
                Assert.That(
                    registration.SupportsWarmStart,
                    Is.EqualTo(HasWarmStartFit(registration.TrainerType)),
                    $"{registration.Task} {registration.Name}");
            }
        });
    }

    [Test]
    public void HasWarmStartFit_ValidationDataOverload_IsNotWarmStart()
    {
        // FastTree has Fit(IDataView, IDataView validationData): a second parameter that is not model parameters.
        Assert.That(typeof(FastTreeBinaryTrainer).GetMethods().Count(m => m.Name == "Fit" && m.GetParameters().Length == 2), Is.EqualTo(1));
        Assert.That(HasWarmStartFit(typeof(FastTreeBinaryTrainer)), Is.False);
    }

    private static bool HasWarmStartFit(Type trainerType) =>
        trainerType.GetMethods(BindingFlags.Public | BindingFlags.Instance).Any(method =>
            method.Name == "Fit"
            && method.GetParameters() is [var data, var initial]
            && data.ParameterType == typeof(IDataView)
            && IsModelParameters(initial.ParameterType));

    private static bool IsModelParameters(Type type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.IsGenericType && current.GetGenericTypeDefinition() == typeof(ModelParametersBase<>))
            {
                return true;
            }
        }

        return false;
    }
}
