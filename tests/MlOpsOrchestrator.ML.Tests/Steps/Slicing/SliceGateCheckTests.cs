using MlOpsOrchestrator.ML.Steps.Slicing;
using MlOpsOrchestrator.Specs;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Steps.Slicing;

[TestFixture]
public sealed class SliceGateCheckTests
{
    private static readonly SourceMark Mark = new(1, 1);

    [TestCase("rmse", GateKind.MaxIncrease, 0.15, 30, 30, 11.6, 10.0, true, TestName = "Failures_RmseUpMoreThanAllowedOnEnoughRows_Fails")]
    [TestCase("rmse", GateKind.MaxIncrease, 0.15, 30, 30, 11.5, 10.0, false, TestName = "Failures_RmseUpExactlyTheAllowedShare_Passes")]
    [TestCase("rmse", GateKind.MaxIncrease, 0.15, 30, 29, 20.0, 10.0, false, TestName = "Failures_SliceBelowMinRows_NotJudged")]
    [TestCase("rmse", GateKind.MaxIncrease, 0.15, 30, 100, 5.0, 10.0, false, TestName = "Failures_RmseDown_Passes")]
    [TestCase("r_squared", GateKind.MaxDecrease, 0.1, 1, 5, 0.7, 0.8, true, TestName = "Failures_RSquaredDownMoreThanAllowed_Fails")]
    [TestCase("r_squared", GateKind.MaxDecrease, 0.1, 1, 5, 0.9, 0.8, false, TestName = "Failures_RSquaredUp_Passes")]
    public void Failures_Table(string metric, GateKind kind, double bound, int minRows, int rows, double candidate, double production, bool fails)
    {
        SliceGateSpec[] gates = [new(metric, kind, bound, minRows, Mark)];
        SliceMeasure[] slices =
        [
            new("season", "season=summer", rows, new Dictionary<string, double> { [metric] = candidate }, new Dictionary<string, double> { [metric] = production }),
        ];

        var failures = SliceGateCheck.Failures(gates, slices);

        Assert.That(failures, Has.Count.EqualTo(fails ? 1 : 0));
        if (fails)
        {
            Assert.That(failures[0] with { Change = 0 }, Is.EqualTo(new MlOpsOrchestrator.Runs.SliceVerdict(metric, kind, bound, minRows, "season", "season=summer", rows, candidate, production, 0)));
        }
    }

    [Test]
    public void Failures_NoProductionOrMetricMissingOnTheSlice_NotJudged()
    {
        SliceGateSpec[] gates = [new("auc", GateKind.MaxDecrease, 0, 1, Mark)];
        SliceMeasure[] slices =
        [
            new("segment", "segment=a", 50, new Dictionary<string, double> { ["auc"] = 0.1 }, null),
            new("segment", "segment=b", 50, new Dictionary<string, double>(), new Dictionary<string, double> { ["auc"] = 0.9 }),
            new("segment", "segment=c", 50, new Dictionary<string, double> { ["auc"] = 0.5 }, new Dictionary<string, double>()),
        ];

        Assert.That(SliceGateCheck.Failures(gates, slices), Is.Empty);
    }

    [Test]
    public void Describe_Failure_NamesGateSliceBothValuesChangeAndRows()
    {
        var verdict = new MlOpsOrchestrator.Runs.SliceVerdict("rmse", GateKind.MaxIncrease, 0.15, 50, "temp", "0<=temp<10", 1234, 9.1, 5.2, 0.75);

        Assert.That(verdict.Describe(), Is.EqualTo("slice gate rmse max_increase 0.15 failed on 0<=temp<10: 9.10 vs production 5.20 (+75.0%) on 1,234 rows (min_rows 50)"));
    }
}
