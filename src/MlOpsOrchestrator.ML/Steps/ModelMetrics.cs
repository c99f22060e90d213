using Microsoft.ML;
using Microsoft.ML.Data;
using MlOpsOrchestrator.Catalogs;

namespace MlOpsOrchestrator.ML.Steps;

/// <summary>
/// The task's metrics (named as gates name them, see <see cref="Metrics.For"/>) of a scored test set. A metric that
/// cannot be computed is left out rather than recorded as NaN: binary trainers without a probability
/// (averaged_perceptron, fast_forest) have no <c>log_loss</c>.
/// </summary>
internal static class ModelMetrics
{
    public const string ProbabilityColumn = "Probability";

    public static IReadOnlyDictionary<string, double> Compute(MLContext ml, MlTask task, IDataView scored, string labelColumn)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        switch (task)
        {
            case MlTask.Regression:
                var r = ml.Regression.Evaluate(scored, labelColumn);
                Add(values, "r_squared", r.RSquared);
                Add(values, "rmse", r.RootMeanSquaredError);
                Add(values, "mae", r.MeanAbsoluteError);
                break;
            case MlTask.Binary when scored.Schema.GetColumnOrNull(ProbabilityColumn) is not null:
                var c = ml.BinaryClassification.Evaluate(scored, labelColumn);
                AddBinary(values, c);
                Add(values, "log_loss", c.LogLoss);
                break;
            case MlTask.Binary:
                AddBinary(values, ml.BinaryClassification.EvaluateNonCalibrated(scored, labelColumn));
                break;
            case MlTask.Multiclass:
                var m = ml.MulticlassClassification.Evaluate(scored, labelColumn);
                Add(values, "micro_accuracy", m.MicroAccuracy);
                Add(values, "macro_accuracy", m.MacroAccuracy);
                Add(values, "log_loss", m.LogLoss);
                break;
        }

        return values;
    }

    private static void AddBinary(Dictionary<string, double> values, BinaryClassificationMetrics metrics)
    {
        Add(values, "auc", metrics.AreaUnderRocCurve);
        Add(values, "accuracy", metrics.Accuracy);
        Add(values, "f1", metrics.F1Score);
        Add(values, "precision", metrics.PositivePrecision);
        Add(values, "recall", metrics.PositiveRecall);
        Add(values, "auprc", metrics.AreaUnderPrecisionRecallCurve);
    }

    private static void Add(Dictionary<string, double> values, string name, double value)
    {
        if (double.IsFinite(value))
        {
            values[name] = value;
        }
    }
}
