using System.Globalization;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.SampleData;
using MlOpsOrchestrator.ML.Tests.Support;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Incremental;

/// <summary>
/// What evaluate judges a candidate on, and when deploy keeps it back, through the real run executor and ML.NET:
/// an incremental candidate is judged on its slice's test rows plus the lineage's holdout; with too few rows, or a
/// model that explains nothing, it is registered and production stays.
/// </summary>
[TestFixture]
public sealed class EvaluateDecisionTests
{
    private static readonly DateTime Start = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly CustomerChurnGenerator Churn = new();

    private IncrementalHarness _harness = null!;

    [SetUp]
    public async Task SetUp() => _harness = await IncrementalHarness.OpenAsync();

    [TearDown]
    public async Task TearDown() => await _harness.DisposeAsync();

    /// <summary>2,000 hourly customers: a time split keeps hours 1,600–1,999 as the full run's test rows.</summary>
    private static SampleSettings History => new() { Rows = 2000, Seed = 7, Start = Start };

    /// <summary>One more day: 24 rows, 5 of them the slice's test rows.</summary>
    private static SampleSettings Day => new() { Rows = 24, Seed = 8, Start = Start.AddHours(2000) };

    [TestCase("", 405, 400, "newest 20 %")]
    [TestCase("holdout: 7d", 174, 169, "newest 7d")]
    [TestCase("holdout: 100%", 405, 400, "newest 100 %")]
    public async Task Incremental_OneDay_JudgedOnTheSliceTestRowsPlusTheLineageHoldout(string keys, int rows, int holdout, string share)
    {
        _harness.Write(Pipelines.ChurnFile, Churn, History);
        Assert.That((await _harness.RunAsync(Pipelines.Churn(), RunMode.Full)).Run.Status, Is.EqualTo(RunStatus.Succeeded));
        _harness.Append(Pipelines.ChurnFile, Churn, Day);

        var run = await _harness.RunAsync(Pipelines.Churn(evaluate: keys + "\nsafety: false\nmin_rows: 1"), RunMode.Incremental);

        Assert.That(run.Run.Status, Is.EqualTo(RunStatus.Succeeded), run.Describe());
        Assert.That(run["evaluate"].Note(), Does.Contain(string.Create(CultureInfo.InvariantCulture,
            $" on {rows} rows: 5 test rows of the slice + {holdout} holdout rows of churn v1's lineage ({share} of 2025-01-01T00:00:00Z..2025-03-25T07:00:00Z, from ")));
        Assert.That(run["evaluate"].Note(), Does.Contain("production churn v1: "), "production is measured on the same rows");
        Assert.That(run["deploy"].Note(), Does.EndWith("; production v1 → v2"));
    }

    [Test]
    public async Task Incremental_FewerRowsThanMinRows_RegisteredNotDeployedAndTheRowsConsumed()
    {
        _harness.Write(Pipelines.ChurnFile, Churn, History);
        Assert.That((await _harness.RunAsync(Pipelines.Churn(), RunMode.Full)).Run.Status, Is.EqualTo(RunStatus.Succeeded));
        _harness.Append(Pipelines.ChurnFile, Churn, Day);

        var run = await _harness.RunAsync(Pipelines.Churn(evaluate: "holdout: 7d\nsafety: false"), RunMode.Incremental);

        Assert.That(run.Run.Status, Is.EqualTo(RunStatus.Succeeded), run.Describe());
        var production = (await _harness.ProductionAsync("churn"))!;
        var kept = await _harness.Registry.GetAsync("churn", 2, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(run["evaluate"].Evaluate().HeldBack, Is.EqualTo("only 174 test rows (min_rows 200)"));
            Assert.That(run["deploy"].Note(), Is.EqualTo(
                "churn v2 (train) registered, not deployed: only 174 test rows (min_rows 200); production stays at v1; "
                + "rows 2025-03-25T08:00:00Z..2025-03-26T07:00:00Z consumed but not deployed; the next full run trains on them"));
            Assert.That(production.Version, Is.EqualTo(1), "production stays");
            Assert.That(kept, Is.Not.Null, "the candidate is kept as a registered version");
            Assert.That(run.Run.Model?.Version, Is.EqualTo(2));
        });
        Assert.That(await _harness.Watermarks.GetAsync("churn", CancellationToken.None), Is.EqualTo(new DateTimeOffset(Start.AddHours(2023))));
    }

    [Test]
    public async Task Full_RegressionNoBetterThanTheMean_RegisteredNotDeployed()
    {
        WriteNoise("noise.csv", label: i => (i * 7919 % 101).ToString(CultureInfo.InvariantCulture));
        var run = await _harness.RunAsync(NoisePipeline("regression", "sdca", ""), RunMode.Full);

        Assert.That(run.Run.Status, Is.EqualTo(RunStatus.Succeeded), run.Describe());
        Assert.That(run["deploy"].Deploy().HeldBack, Does.Match(@"^r_squared -?[0-9.]+ <= 0 \(no better than always predicting the mean\)$"));
        Assert.That(run["deploy"].Note(), Does.Contain("registered, not deployed: r_squared "));
        Assert.That(run["deploy"].Note(), Does.Contain("; no production model yet"));
        Assert.That(await _harness.ProductionAsync("noise"), Is.Null);

        var unsafeRun = await _harness.RunAsync(NoisePipeline("regression", "sdca", "safety: false"), RunMode.Full);
        Assert.That(unsafeRun["deploy"].Deploy().HeldBack, Is.Null, "safety: false deploys on the gates alone");
        Assert.That((await _harness.ProductionAsync("noise"))?.Version, Is.EqualTo(2));
    }

    [Test]
    public async Task Full_ClassifierAtTheMajorityClassBaseline_RegisteredNotDeployed()
    {
        WriteNoise("noise.csv", label: i => i % 5 == 0 ? "yes" : "no");
        var run = await _harness.RunAsync(NoisePipeline("binary", "lbfgs_logistic_regression", ""), RunMode.Full);

        Assert.That(run.Run.Status, Is.EqualTo(RunStatus.Succeeded), run.Describe());
        Assert.That(run["deploy"].Deploy().HeldBack, Does.Match(@"^accuracy [0-9.]+ <= majority-class baseline 0\.80 \(always 'no'\)$"));
        Assert.That(await _harness.ProductionAsync("noise"), Is.Null);
    }

    /// <summary>Rows whose only feature says nothing about the label.</summary>
    private void WriteNoise(string file, Func<int, string> label) =>
        File.WriteAllLines(Path.Combine(_harness.DataRoot, file), [
            "ts,x,y",
            .. Enumerable.Range(0, 1000).Select(i => string.Create(CultureInfo.InvariantCulture,
                $"{Start.AddHours(i):yyyy-MM-dd HH:mm:ss},{i * 104729 % 997 / 997.0:0.000},{label(i)}")),
        ]);

    private static string NoisePipeline(string task, string trainer, string evaluate) => $$"""
        version: 1
        name: noise
        data:
          source: { type: csv, path: noise.csv }
          timestamp: ts
          label: y
          schema:
            ts: { type: datetime }
            x: { type: float }
            y: { type: {{(task == "regression" ? "float" : "categorical, positive: \"yes\"")}} }
        steps:
          - id: prep
            kind: data_prep
            split: { by: time, test_fraction: 0.2 }
          - id: train
            kind: train
            needs: [prep]
            task: {{task}}
            trainer: {{trainer}}
          - id: evaluate
            kind: evaluate
            needs: [train]
            {{evaluate}}
          - id: deploy
            kind: deploy
            needs: [evaluate]
        """;
}
