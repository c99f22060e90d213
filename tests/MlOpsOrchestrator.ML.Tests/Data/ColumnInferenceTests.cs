using MlOpsOrchestrator.ML.Data.Columns;
using MlOpsOrchestrator.Specs;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Data;

[TestFixture]
public sealed class ColumnInferenceTests
{
    [TestCase("1|2|3", ColumnType.Int)]
    [TestCase("0|1.|1", ColumnType.Int)]
    [TestCase("1.5|2|-3e2", ColumnType.Float)]
    [TestCase("1|?||2.5", ColumnType.Float)]
    [TestCase("1|NaN|2", ColumnType.Int)]
    [TestCase("true|False|TRUE", ColumnType.Boolean)]
    [TestCase("2024-01-01|2024-01-02 10:00:00|2024-01-03T10:00:00Z", ColumnType.Datetime)]
    [TestCase("CMT|VTS|CMT|VTS", ColumnType.Categorical)]
    [TestCase("1|2|x", ColumnType.Categorical)]
    [TestCase("yes|no", ColumnType.Categorical)]
    [TestCase("?|", ColumnType.Float)]
    public void Result_Values_InfersType(string values, ColumnType expected)
    {
        var inference = new ColumnInference();
        foreach (var value in values.Split('|'))
        {
            inference.Observe(value);
        }

        Assert.That(inference.Result(), Is.EqualTo(expected));
    }

    [Test]
    public void Result_ManyDistinctStrings_IsText()
    {
        var inference = new ColumnInference();
        for (var i = 0; i < 200; i++)
        {
            inference.Observe($"comment number {i}");
        }

        Assert.That(inference.Result(), Is.EqualTo(ColumnType.Text));
    }

    [Test]
    public void Result_FewDistinctInManyRows_IsCategorical()
    {
        // 120 distinct values in 10,000 rows: above 50, but within 5 % of the rows.
        var inference = new ColumnInference();
        for (var i = 0; i < 10_000; i++)
        {
            inference.Observe($"city-{i % 120}");
        }

        Assert.That(inference.Result(), Is.EqualTo(ColumnType.Categorical));
    }
}
