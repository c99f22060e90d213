using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using MlOpsOrchestrator.Catalogs;

namespace MlOpsOrchestrator.ML.Trainers;

/// <summary>
/// Every trainer the product offers, in the order error messages list them. Warm start is true exactly for the
/// trainers with a <c>Fit(IDataView, LinearModelParameters | MaximumEntropyModelParameters)</c> overload; SDCA
/// trainers, tree ensembles and LightGBM have none in ML.NET.
/// </summary>
internal static class TrainerRegistry
{
    public static IReadOnlyList<TrainerRegistration> All { get; } = Array.AsReadOnly(new TrainerRegistration[]
    {
        Binary<LbfgsLogisticRegressionBinaryTrainer, LbfgsLogisticRegressionBinaryTrainer.Options>("lbfgs_logistic_regression", warmStart: true),
        Binary<SdcaLogisticRegressionBinaryTrainer, SdcaLogisticRegressionBinaryTrainer.Options>("sdca_logistic_regression", warmStart: false),
        Binary<AveragedPerceptronTrainer, AveragedPerceptronTrainer.Options>("averaged_perceptron", warmStart: true),
        Binary<FastTreeBinaryTrainer, FastTreeBinaryTrainer.Options>("fast_tree", warmStart: false),
        Binary<FastForestBinaryTrainer, FastForestBinaryTrainer.Options>("fast_forest", warmStart: false),
        Binary<LightGbmBinaryTrainer, LightGbmBinaryTrainer.Options>("light_gbm", warmStart: false),

        Multiclass<LbfgsMaximumEntropyMulticlassTrainer, LbfgsMaximumEntropyMulticlassTrainer.Options>("lbfgs_maximum_entropy", warmStart: true),
        Multiclass<SdcaMaximumEntropyMulticlassTrainer, SdcaMaximumEntropyMulticlassTrainer.Options>("sdca_maximum_entropy", warmStart: false),
        Multiclass<LightGbmMulticlassTrainer, LightGbmMulticlassTrainer.Options>("light_gbm", warmStart: false),
        // One-versus-all has no options class of its own: the options configure the FastTree binary trainer it wraps.
        Multiclass<OneVersusAllTrainer, FastTreeBinaryTrainer.Options>("one_versus_all_fast_tree", warmStart: false),

        Regression<SdcaRegressionTrainer, SdcaRegressionTrainer.Options>("sdca", warmStart: false),
        Regression<OnlineGradientDescentTrainer, OnlineGradientDescentTrainer.Options>("online_gradient_descent", warmStart: true),
        Regression<FastTreeRegressionTrainer, FastTreeRegressionTrainer.Options>("fast_tree", warmStart: false),
        Regression<FastForestRegressionTrainer, FastForestRegressionTrainer.Options>("fast_forest", warmStart: false),
        Regression<FastTreeTweedieTrainer, FastTreeTweedieTrainer.Options>("fast_tree_tweedie", warmStart: false),
        Regression<LightGbmRegressionTrainer, LightGbmRegressionTrainer.Options>("light_gbm", warmStart: false),
        Regression<LbfgsPoissonRegressionTrainer, LbfgsPoissonRegressionTrainer.Options>("lbfgs_poisson", warmStart: true),
    });

    private static TrainerRegistration Binary<TTrainer, TOptions>(string name, bool warmStart)
        where TOptions : new() => new(MlTask.Binary, name, typeof(TTrainer), typeof(TOptions), warmStart);

    private static TrainerRegistration Multiclass<TTrainer, TOptions>(string name, bool warmStart)
        where TOptions : new() => new(MlTask.Multiclass, name, typeof(TTrainer), typeof(TOptions), warmStart);

    private static TrainerRegistration Regression<TTrainer, TOptions>(string name, bool warmStart)
        where TOptions : new() => new(MlTask.Regression, name, typeof(TTrainer), typeof(TOptions), warmStart);
}
