using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.Specs;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Steps;

[TestFixture]
public sealed class GateCheckTests
{
    [TestCase("r_squared", GateKind.Min, 0.7, 0.71, null, null)]
    [TestCase("r_squared", GateKind.Min, 0.7, 0.7, null, null)]
    [TestCase("r_squared", GateKind.Min, 0.7, 0.62, null, "gate r_squared min 0.7 failed: 0.62")]
    [TestCase("rmse", GateKind.Max, 4.0, 3.5, null, null)]
    [TestCase("rmse", GateKind.Max, 4.0, 4.31, null, "gate rmse max 4 failed: 4.31")]
    [TestCase("rmse", GateKind.MaxIncrease, 0.05, 4.31, 3.90, "gate rmse max_increase 0.05 failed: 4.31 vs production 3.90 (+10.5%)")]
    [TestCase("rmse", GateKind.MaxIncrease, 0.05, 4.0, 3.90, null)]
    [TestCase("rmse", GateKind.MaxIncrease, 0.05, 4.095, 3.90, null)]
    [TestCase("rmse", GateKind.MaxIncrease, 0.05, 3.0, 3.90, null)]
    [TestCase("rmse", GateKind.MaxIncrease, 0.05, 4.31, null, null)]
    [TestCase("macro_accuracy", GateKind.MaxDecrease, 0.02, 0.80, 0.85, "gate macro_accuracy max_decrease 0.02 failed: 0.80 vs production 0.85 (-5.9%)")]
    [TestCase("macro_accuracy", GateKind.MaxDecrease, 0.02, 0.84, 0.85, null)]
    [TestCase("macro_accuracy", GateKind.MaxDecrease, 0.02, 0.95, 0.85, null)]
    [TestCase("r_squared", GateKind.MaxDecrease, 0.1, 0.5, -0.5, null)]
    [TestCase("r_squared", GateKind.MaxDecrease, 0.1, -0.6, -0.5, "gate r_squared max_decrease 0.1 failed: -0.60 vs production -0.50 (-20.0%)")]
    [TestCase("rmse", GateKind.MaxIncrease, 0.05, 0.1, 0.0, "gate rmse max_increase 0.05 failed: 0.10 vs production 0.00 (+∞%)")]
    public void Failures_OneGate_MatchesTheTable(string metric, GateKind kind, double limit, double candidate, double? production, string? expected)
    {
        var gates = new[] { new GateSpec(metric, kind, limit, new SourceMark(1, 1)) };
        var productionMetrics = production is { } p ? new Dictionary<string, double> { [metric] = p } : null;

        var failures = GateCheck.Failures(gates, new Dictionary<string, double> { [metric] = candidate }, productionMetrics);

        Assert.That(failures, expected is null ? Is.Empty : Is.EqualTo(new[] { expected }));
    }

    [Test]
    public void Failures_SeveralGates_ListsEveryFailureInGateOrder()
    {
        var gates = new[]
        {
            new GateSpec("auc", GateKind.Min, 0.9, new SourceMark(3, 7)),
            new GateSpec("accuracy", GateKind.Min, 0.5, new SourceMark(4, 7)),
            new GateSpec("log_loss", GateKind.Max, 0.3, new SourceMark(5, 7)),
            new GateSpec("f1", GateKind.MaxDecrease, 0.01, new SourceMark(6, 7)),
        };
        var candidate = new Dictionary<string, double> { ["auc"] = 0.8, ["accuracy"] = 0.7, ["log_loss"] = 0.45, ["f1"] = 0.6 };
        var production = new Dictionary<string, double> { ["f1"] = 0.7 };

        var failures = GateCheck.Failures(gates, candidate, production);

        Assert.That(failures, Is.EqualTo(new[]
        {
            "gate auc min 0.9 failed: 0.80",
            "gate log_loss max 0.3 failed: 0.45",
            "gate f1 max_decrease 0.01 failed: 0.60 vs production 0.70 (-14.3%)",
        }));
    }

    [Test]
    public void Failures_MetricTheTrainerDoesNotProduce_FailsNamingIt()
    {
        var gates = new[] { new GateSpec("log_loss", GateKind.Max, 0.5, new SourceMark(1, 1)) };

        var failures = GateCheck.Failures(gates, new Dictionary<string, double> { ["auc"] = 0.9 }, null);

        Assert.That(failures, Is.EqualTo(new[] { "gate log_loss max 0.5 failed: the candidate has no log_loss (this trainer does not produce it)" }));
    }
}
