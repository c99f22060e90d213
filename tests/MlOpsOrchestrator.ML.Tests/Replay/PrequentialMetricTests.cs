using MlOpsOrchestrator.ML.Replay;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Replay;

public sealed class PrequentialMetricTests
{
    private static readonly ScoredRow[] Regression = [new(10, 12, null, null), new(20, 17, null, null), new(30, 30, null, null), new(40, 45, null, null)];

    private static readonly ScoredRow[] Binary =
    [
        new(1, 0.9, "1", "1"), new(0, 0.8, "1", "0"), new(1, 0.7, "1", "1"), new(0, 0.3, "0", "0"), new(1, 0.2, "0", "1"), new(0, 0.1, "0", "0"),
    ];

    [TestCase("mae", 2.5)]
    [TestCase("rmse", 3.082207001484488)]
    [TestCase("r_squared", 0.924)]
    public void Compute_Regression_OverAllRows(string metric, double expected) =>
        Assert.That(PrequentialMetric.Compute(metric, Regression), Is.EqualTo(expected).Within(1e-9));

    [TestCase("accuracy", 4 / 6.0)]
    [TestCase("precision", 2 / 3.0)]
    [TestCase("recall", 2 / 3.0)]
    [TestCase("f1", 2 / 3.0)]
    [TestCase("auc", 6 / 9.0)] // of the 9 positive-negative pairs, 6 have the positive scored higher
    public void Compute_Binary_AsTheEvaluatorDefinesIt(string metric, double expected) =>
        Assert.That(PrequentialMetric.Compute(metric, Binary), Is.EqualTo(expected).Within(1e-9));

    [Test]
    public void Compute_Multiclass_MicroCountsRowsAndMacroAveragesClasses()
    {
        ScoredRow[] rows = [new(0, 0, "a", "a"), new(0, 0, "a", "a"), new(0, 0, "a", "a"), new(0, 0, "a", "b")];

        Assert.Multiple(() =>
        {
            Assert.That(PrequentialMetric.Compute("micro_accuracy", rows), Is.EqualTo(0.75));
            Assert.That(PrequentialMetric.Compute("macro_accuracy", rows), Is.EqualTo(0.5));
        });
    }

    [Test]
    public void Compute_IsTheMetricOverEveryRowNotTheMeanOfParts()
    {
        var overall = PrequentialMetric.Compute("rmse", [.. Regression[..2], .. Regression[2..]]);

        var meanOfHalves = (PrequentialMetric.Compute("rmse", Regression[..2])!.Value + PrequentialMetric.Compute("rmse", Regression[2..])!.Value) / 2;
        Assert.That(overall, Is.EqualTo(PrequentialMetric.Compute("rmse", Regression)));
        Assert.That(overall, Is.Not.EqualTo(meanOfHalves).Within(1e-6));
    }

    [Test]
    public void Compute_NoRows_IsNull() => Assert.That(PrequentialMetric.Compute("mae", []), Is.Null);

    [Test]
    public void Compute_MetricNotRowByRow_SaysWhichAre() =>
        Assert.That(() => PrequentialMetric.Compute("log_loss", Regression), Throws.ArgumentException.With.Message.Contains("mae"));
}
