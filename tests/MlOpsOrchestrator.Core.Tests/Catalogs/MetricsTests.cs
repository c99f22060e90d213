using MlOpsOrchestrator.Catalogs;
using NUnit.Framework;

namespace MlOpsOrchestrator.Tests.Catalogs;

[TestFixture]
public sealed class MetricsTests
{
    [TestCase(MlTask.Binary, "auc", true)]
    [TestCase(MlTask.Binary, "auprc", true)]
    [TestCase(MlTask.Binary, "rmse", false)]
    [TestCase(MlTask.Multiclass, "micro_accuracy", true)]
    [TestCase(MlTask.Multiclass, "log_loss", true)]
    [TestCase(MlTask.Multiclass, "accuracy", false)]
    [TestCase(MlTask.Regression, "r_squared", true)]
    [TestCase(MlTask.Regression, "mae", true)]
    [TestCase(MlTask.Regression, "auc", false)]
    public void Fits_TaskAndMetric_AsListedInTheSpec(MlTask task, string metric, bool fits)
    {
        Assert.That(Metrics.Fits(task, metric), Is.EqualTo(fits));
    }

    [TestCase("auc", true)]
    [TestCase("accuracy", true)]
    [TestCase("r_squared", true)]
    [TestCase("log_loss", false)]
    [TestCase("rmse", false)]
    [TestCase("mae", false)]
    public void HigherIsBetter_Metric_OnlyErrorsAndLossesAreLowerIsBetter(string metric, bool higher)
    {
        Assert.That(Metrics.HigherIsBetter(metric), Is.EqualTo(higher));
    }

    [TestCase(MlTask.Binary, "auc")]
    [TestCase(MlTask.Multiclass, "micro_accuracy")]
    [TestCase(MlTask.Regression, "r_squared")]
    public void Default_Task_IsOneOfItsOwnMetrics(MlTask task, string metric)
    {
        Assert.Multiple(() =>
        {
            Assert.That(Metrics.Default(task), Is.EqualTo(metric));
            Assert.That(Metrics.Fits(task, Metrics.Default(task)), Is.True);
        });
    }
}
