using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Steps;

/// <summary>When a candidate that passed its gates is registered but kept from production, and the reason given.</summary>
[TestFixture]
public sealed class DeploySafetyTests
{
    private static readonly ModelVersion Production = new()
    {
        Name = "bikes", Version = 1, RunId = "run-1", StepId = "deploy", PipelineVersion = "p", DataHash = "h", ArtifactPath = "m.zip",
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    // rows, min_rows, safety, candidate rmse / r_squared, production rmse (null: no production), relative gate tolerance (null: none)
    [TestCase(250, 200, true, 3.0, 0.8, 3.1, null, null, TestName = "Better on enough rows: deployed")]
    [TestCase(5, 200, true, 3.0, 0.8, 3.1, null, "only 5 test rows (min_rows 200)", TestName = "Too few rows to replace production")]
    [TestCase(5, 200, true, 3.0, 0.8, null, null, null, TestName = "A first model: min_rows does not apply")]
    [TestCase(5, 5, true, 3.0, 0.8, 3.1, null, null, TestName = "min_rows settable")]
    [TestCase(250, 200, true, 3.2, 0.8, 3.1, null,
        "rmse 3.20 is worse than production's 3.10 on the same 250 rows (without a relative gate on rmse, safety allows no worsening)",
        TestName = "Worse than production without a gate")]
    [TestCase(250, 200, true, 3.2, 0.8, 3.1, 0.1, null, TestName = "Worse within the relative gate's tolerance: the gate decides")]
    [TestCase(250, 200, false, 3.2, 0.8, 3.1, null, null, TestName = "safety false: not compared")]
    [TestCase(250, 200, true, 9.0, -2.04, null, null, "r_squared -2.04 <= 0 (no better than always predicting the mean)", TestName = "r_squared below zero")]
    [TestCase(250, 200, true, 9.0, 0.0, null, null, "r_squared 0.00 <= 0 (no better than always predicting the mean)", TestName = "r_squared zero")]
    [TestCase(250, 200, false, 9.0, -2.04, null, null, null, TestName = "safety false: r_squared not checked")]
    [TestCase(24, 200, true, 9.0, -2.04, 3.1, null,
        "only 24 test rows (min_rows 200); r_squared -2.04 <= 0 (no better than always predicting the mean); "
        + "rmse 9.00 is worse than production's 3.10 on the same 24 rows (without a relative gate on rmse, safety allows no worsening)",
        TestName = "Every reason listed")]
    public void HeldBack_Regression(int rows, int minRows, bool safety, double rmse, double r2, double? productionRmse, double? tolerance, string? expected)
    {
        var step = new EvaluateStep
        {
            Id = "evaluate", Mark = default, MinRows = minRows, Safety = safety,
            Gates = tolerance is { } t ? [new GateSpec("rmse", GateKind.MaxIncrease, t, default)] : [],
        };
        var candidate = new Dictionary<string, double> { ["rmse"] = rmse, ["r_squared"] = r2 };
        var production = productionRmse is { } p ? new ProductionBaseline(Production, new Dictionary<string, double> { ["rmse"] = p }, "production") : null;

        Assert.That(DeploySafety.HeldBack(step, MlTask.Regression, "rmse", candidate, production, rows, null), Is.EqualTo(expected));
    }

    [TestCase(0.71, 0.74, "accuracy 0.71 <= majority-class baseline 0.74 (always '<=50K')")]
    [TestCase(0.74, 0.74, "accuracy 0.74 <= majority-class baseline 0.74 (always '<=50K')")]
    [TestCase(0.80, 0.74, null)]
    public void HeldBack_Binary_AgainstTheMajorityClass(double accuracy, double baseline, string? expected)
    {
        var step = new EvaluateStep { Id = "evaluate", Mark = default };
        var candidate = new Dictionary<string, double> { ["accuracy"] = accuracy, ["auc"] = 0.8 };

        Assert.That(DeploySafety.HeldBack(step, MlTask.Binary, "auc", candidate, null, 1000, new MajorityBaseline("<=50K", baseline)), Is.EqualTo(expected));
    }

    [Test]
    public void HeldBack_Multiclass_ComparesMicroAccuracy()
    {
        var step = new EvaluateStep { Id = "evaluate", Mark = default };
        var candidate = new Dictionary<string, double> { ["micro_accuracy"] = 0.3 };

        Assert.That(DeploySafety.HeldBack(step, MlTask.Multiclass, "micro_accuracy", candidate, null, 1000, new MajorityBaseline("billing", 0.5)),
            Is.EqualTo("micro_accuracy 0.30 <= majority-class baseline 0.50 (always 'billing')"));
    }
}
