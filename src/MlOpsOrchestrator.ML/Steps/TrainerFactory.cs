using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.ML.Trainers;

namespace MlOpsOrchestrator.ML.Steps;

/// <summary>Turns a YAML trainer name and options into the ML.NET estimator, reading the given label and feature columns.</summary>
internal static class TrainerFactory
{
    /// <exception cref="ArgumentException">Unknown trainer or option (the message lists the valid ones).</exception>
    public static IEstimator<ITransformer> Create(
        MLContext ml, MlTask task, string trainer, IReadOnlyDictionary<string, object> options, string labelColumn, string featureColumn)
    {
        var values = options.ToDictionary(p => p.Key, p => (object?)p.Value, StringComparer.Ordinal);
        var configured = MlNetTrainerCatalog.Default.CreateOptions(task, trainer, values);
        if (configured is TrainerInputBaseWithLabel columns)
        {
            columns.LabelColumnName = labelColumn;
            columns.FeatureColumnName = featureColumn;
        }

        var binary = ml.BinaryClassification.Trainers;
        var multiclass = ml.MulticlassClassification.Trainers;
        var regression = ml.Regression.Trainers;
        return (task, configured) switch
        {
            (MlTask.Binary, LbfgsLogisticRegressionBinaryTrainer.Options o) => binary.LbfgsLogisticRegression(o),
            (MlTask.Binary, SdcaLogisticRegressionBinaryTrainer.Options o) => binary.SdcaLogisticRegression(o),
            (MlTask.Binary, AveragedPerceptronTrainer.Options o) => binary.AveragedPerceptron(o),
            (MlTask.Binary, FastTreeBinaryTrainer.Options o) => binary.FastTree(o),
            (MlTask.Binary, FastForestBinaryTrainer.Options o) => binary.FastForest(o),
            (MlTask.Binary, LightGbmBinaryTrainer.Options o) => binary.LightGbm(o),
            (MlTask.Multiclass, LbfgsMaximumEntropyMulticlassTrainer.Options o) => multiclass.LbfgsMaximumEntropy(o),
            (MlTask.Multiclass, SdcaMaximumEntropyMulticlassTrainer.Options o) => multiclass.SdcaMaximumEntropy(o),
            (MlTask.Multiclass, LightGbmMulticlassTrainer.Options o) => multiclass.LightGbm(o),
            (MlTask.Multiclass, FastTreeBinaryTrainer.Options o) => multiclass.OneVersusAll(binary.FastTree(o), labelColumn),
            (MlTask.Regression, SdcaRegressionTrainer.Options o) => regression.Sdca(o),
            (MlTask.Regression, OnlineGradientDescentTrainer.Options o) => regression.OnlineGradientDescent(o),
            (MlTask.Regression, FastTreeRegressionTrainer.Options o) => regression.FastTree(o),
            (MlTask.Regression, FastForestRegressionTrainer.Options o) => regression.FastForest(o),
            (MlTask.Regression, FastTreeTweedieTrainer.Options o) => regression.FastTreeTweedie(o),
            (MlTask.Regression, LightGbmRegressionTrainer.Options o) => regression.LightGbm(o),
            (MlTask.Regression, LbfgsPoissonRegressionTrainer.Options o) => regression.LbfgsPoissonRegression(o),
            _ => throw new InvalidOperationException(
                $"The {TaskNames.Of(task)} trainer '{trainer}' is in the catalog but has no estimator mapping ({configured.GetType().FullName})."),
        };
    }
}
