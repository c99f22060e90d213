using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Data.Profiling;
using MlOpsOrchestrator.ML.Monitoring;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Monitoring;

/// <summary>The skew rules on a hand-made profile: values read as the model reads them, the statistic of the method, a version without view features.</summary>
[TestFixture]
public sealed class SkewAssessmentTests
{
    private static readonly DateTimeOffset Since = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Training held 0.7 in every row, stored as a float (0.699999988…), which is also the one bin edge.</summary>
    private static DataProfile Profile(int missing = 0) => new()
    {
        Rows = 100,
        Columns =
        [
            new ColumnProfile
            {
                Name = "v__f", Type = ColumnType.Float, Role = ColumnRole.Feature, Count = 100 - missing, Missing = missing,
                Numeric = new NumericProfile(0.7f, 0.7f, 0.7f, 0, [0.7f], [1.0, 0.0]),
            },
        ],
    };

    private static readonly DatasetSchema Schema = new()
    {
        Columns = [new DatasetColumn("v__f", ColumnType.Float, ColumnRole.Feature, MissingPolicy.Mean)],
        Label = "y",
        ViewFeatures = [new DatasetFeature("v", "f", "v__f", "hash")],
    };

    private static PredictionRecord Request(string json) => new("m", 1, Since.AddHours(1), json, "{}", 1);

    [Test]
    public void Measure_ServedTheTrainingValue_ReadAsAFloatLikeTraining_NoSkew()
    {
        // 0.7 as a double is above the float edge; read as the model reads it, it is the training value again.
        var report = SkewAssessment.Measure("m", 1, Profile(), Schema, [.. Enumerable.Repeat(Request("""{"v__f":0.7}"""), 50)], Since, DriftMethod.Psi, SkewCheck.Default)!;

        Assert.That(report.Features.Single().Distance, Is.Zero.Within(1e-9));
        Assert.That(report.Skewed, Is.Empty);
    }

    [TestCase(DriftMethod.Psi, "PSI")]
    [TestCase(DriftMethod.Ks, "KS")]
    public void Measure_ValuesElsewhere_SkewedByTheMethodsStatistic(DriftMethod method, string statistic)
    {
        var report = SkewAssessment.Measure("m", 1, Profile(), Schema, [Request("""[{"v__f":42},{"v__f":"42"}]""")], Since, method, SkewCheck.Default)!;

        var feature = report.Features.Single();
        Assert.That((report.Requests, feature.ServedValues, feature.ServedMean, feature.Statistic), Is.EqualTo((2, 2, (double?)42, statistic)));
        Assert.That(feature.Reason, Does.StartWith($"{statistic} "));
    }

    [TestCase(0, 0.2, true)]
    [TestCase(0, 0.5, false)]
    [TestCase(50, 0.2, false)]
    public void Measure_MissingServed_SkewedWhenTheShareGrewMoreThanAllowed(int trainingMissing, double allowed, bool skewed)
    {
        // Two requests of five lack the feature (absent, null): 40 % served missing.
        string[] rows = ["""{"v__f":0.7}""", """{"v__f":0.7}""", """{"v__f":0.7}""", """{"other":1}""", """{"v__f":null}"""];
        var report = SkewAssessment.Measure("m", 1, Profile(trainingMissing), Schema, [.. rows.Select(Request)], Since, DriftMethod.Psi, new SkewCheck { MaxMissingIncrease = allowed })!;

        var feature = report.Features.Single();
        Assert.That(feature.ServedMissing, Is.EqualTo(0.4).Within(1e-9));
        Assert.That(feature.Skewed, Is.EqualTo(skewed), feature.Reason);
    }

    [Test]
    public void Measure_VersionWithoutViewFeatures_Null() =>
        Assert.That(SkewAssessment.Measure("m", 1, Profile(), Schema with { ViewFeatures = null }, [], Since, DriftMethod.Psi, SkewCheck.Default), Is.Null);
}
