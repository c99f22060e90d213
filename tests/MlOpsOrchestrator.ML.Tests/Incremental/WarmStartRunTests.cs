using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.SampleData;
using MlOpsOrchestrator.ML.Serving;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.ML.Tests.Support;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Incremental;

/// <summary>
/// A full run, then rows appended to the source and an incremental run whose train step warm-starts from the
/// production model: the model continues with production's featurization, and what cannot be continued is fitted
/// from scratch with a note saying why.
/// </summary>
[TestFixture]
public sealed class WarmStartRunTests
{
    private static readonly DateTime Start = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly CustomerChurnGenerator Churn = new();

    private IncrementalHarness _harness = null!;

    [SetUp]
    public async Task SetUp() => _harness = await IncrementalHarness.OpenAsync();

    [TearDown]
    public async Task TearDown() => await _harness.DisposeAsync();

    /// <summary>The first 2,000 hourly customers.</summary>
    private static SampleSettings History => new() { Rows = 2000, Seed = 7, Start = Start };

    /// <summary>The next 1,000 hours, with other random draws.</summary>
    private static SampleSettings Slice => new() { Rows = 1000, Seed = 8, Start = Start.AddHours(2000) };

    /// <summary>No two-year contracts among the new rows: a category production knows and the slice does not.</summary>
    private static bool NotTwoYear(string line) => !line.Contains(",two_year,", StringComparison.Ordinal);

    [Test]
    public async Task Incremental_WarmStart_ContinuesProductionWithItsFeaturization()
    {
        _harness.Write(Pipelines.ChurnFile, Churn, History);
        var full = await _harness.RunAsync(Pipelines.Churn(), RunMode.Full);
        Assert.That(full.Run.Status, Is.EqualTo(RunStatus.Succeeded), full.Describe());
        var production = (await _harness.ProductionAsync("churn"))!;

        _harness.Append(Pipelines.ChurnFile, Churn, Slice, keep: NotTwoYear);
        var appended = Churn.Rows(Slice).Count(NotTwoYear);
        var incremental = await _harness.RunAsync(Pipelines.Churn(), RunMode.Incremental);

        Assert.That(incremental.Run.Status, Is.EqualTo(RunStatus.Succeeded), incremental.Describe());
        var prep = incremental["prep"];
        var train = incremental["train"];
        var sliceRows = prep.Prep().TrainRows;
        Assert.Multiple(() =>
        {
            Assert.That(sliceRows, Is.EqualTo(appended - (int)Math.Round(appended * 0.2)), "only the appended rows, 80 % of them for training");
            Assert.That(train.Train().Strategy, Is.EqualTo(TrainingStrategy.WarmStart));
            Assert.That(TypedResults.Label(train.Train().WarmStartFrom), Is.EqualTo("churn v1"));
            Assert.That(train.Train().TrainRows, Is.EqualTo(sliceRows));
            Assert.That(incremental.Progress, Has.Some.EqualTo($"train: warm start from churn v1 on {sliceRows} rows (lbfgs_logistic_regression; "
                + "the featurization of churn v1 reused as fitted, 7 feature columns)"));
            Assert.That(incremental.Run.Model?.Version, Is.EqualTo(2), "the continued model is deployed");
        });

        // The featurization is production's, not refitted on the slice: the same vectors for the same rows, and the
        // two-year contract, absent from the slice, still has its one-hot slot.
        var warm = _harness.LoadModel(train);
        var old = _harness.LoadModel(production);
        var rows = _harness.Dataset(full["prep"], ArtifactNames.Test);
        var contracts = IncrementalHarness.Strings(rows, "contract");
        var before = IncrementalHarness.Features(old, rows);
        var after = IncrementalHarness.Features(warm, rows);
        Assert.That(contracts, Has.Some.EqualTo("two_year"));
        Assert.That(after, Has.Count.EqualTo(before.Count));
        Assert.Multiple(() =>
        {
            for (var i = 0; i < before.Count; i++)
            {
                Assert.That(after[i], Is.EqualTo(before[i]), $"features of test row {i} ({contracts[i]})");
            }
        });

        // Fitted from scratch on the slice alone (a pipeline with no production model yet), measured on the same test rows.
        await using var scratch = await IncrementalHarness.OpenAsync();
        scratch.Write(Pipelines.ChurnFile, Churn, Slice, keep: NotTwoYear);
        var alone = await scratch.RunAsync(Pipelines.Churn(), RunMode.Incremental);
        Assert.That(alone.Run.Status, Is.EqualTo(RunStatus.Succeeded), alone.Describe());
        var scratchFeatures = IncrementalHarness.Features(scratch.LoadModel(alone["train"]), rows);
        Assert.Multiple(() =>
        {
            Assert.That(alone["train"].Train().Strategy, Is.EqualTo(TrainingStrategy.Full));
            Assert.That(alone["prep"].Prep().TestRows, Is.EqualTo(prep.Prep().TestRows));
            Assert.That(train.Metrics["auc"], Is.GreaterThanOrEqualTo(alone["train"].Metrics["auc"] - 0.02), "warm start is close to or better than the slice alone");
            Assert.That(scratchFeatures[0], Has.Length.LessThan(before[0].Length), "a featurization fitted on the slice has no two-year slot");
        });
    }

    /// <summary>
    /// Deploy whatever passes the gates: tests of the warm-start chain itself, whose continued models may be a hair worse
    /// than production on the judged rows (the built-in safety would keep them back; EvaluateDecisionTests test that).
    /// </summary>
    private const string Deployed = "safety: false";

    [Test]
    public async Task Incremental_TwiceInARow_SecondContinuesTheFirstAndServes()
    {
        _harness.Write(Pipelines.ChurnFile, Churn, History);
        Assert.That((await _harness.RunAsync(Pipelines.Churn(evaluate: Deployed), RunMode.Full)).Run.Status, Is.EqualTo(RunStatus.Succeeded));
        _harness.Append(Pipelines.ChurnFile, Churn, Slice);
        var first = await _harness.RunAsync(Pipelines.Churn(evaluate: Deployed), RunMode.Incremental);
        _harness.Append(Pipelines.ChurnFile, Churn, new SampleSettings { Rows = 500, Seed = 9, Start = Start.AddHours(3000) });

        var second = await _harness.RunAsync(Pipelines.Churn(evaluate: Deployed), RunMode.Incremental);

        Assert.That(second.Run.Status, Is.EqualTo(RunStatus.Succeeded), second.Describe());
        var production = (await _harness.ProductionAsync("churn"))!;
        var scorer = ModelScorer.Load(_harness.Artifacts, production);
        var rows = Churn.Rows(new SampleSettings { Rows = 20, Seed = 10, Start = Start.AddHours(4000) }).Select(line => line.Split(',')).ToList();
        var input = new JsonArray([.. rows.Select(r => (JsonNode?)new JsonObject
        {
            ["tenure_months"] = int.Parse(r[1], CultureInfo.InvariantCulture),
            ["monthly_charges"] = r[2].Length == 0 ? null : double.Parse(r[2], CultureInfo.InvariantCulture),
            ["contract"] = r[3],
            ["payment"] = r[4],
            ["support_calls"] = int.Parse(r[5], CultureInfo.InvariantCulture),
            ["outages"] = int.Parse(r[6], CultureInfo.InvariantCulture),
            ["last_note"] = r[7],
        })]);
        var predictions = scorer.Score(JsonDocument.Parse(input.ToJsonString()).RootElement);
        var fromScratch = (await _harness.Registry.GetAsync("churn", 1, CancellationToken.None))!;
        var continued = (await _harness.Registry.GetAsync("churn", 2, CancellationToken.None))!;
        Assert.Multiple(() =>
        {
            Assert.That(TypedResults.Label(first["train"].Train().WarmStartFrom), Is.EqualTo("churn v1"));
            Assert.That(first["train"].Train().WarmStartFrom?.Version, Is.EqualTo(1));
            Assert.That(fromScratch.Properties.ContainsKey(ModelProperties.ReferenceVersion), Is.False, "a version trained from scratch is its own reference");
            Assert.That(continued.Properties[ModelProperties.DataThrough], Is.EqualTo(TypedResults.Iso(first["prep"].Prep().Watermark)),
                "each version records the newest row it was trained on");
            foreach (var version in new[] { continued, production })
            {
                Assert.That(version.Properties[ModelProperties.ReferenceVersion], Is.EqualTo("1"),
                    $"v{version.Version} goes back to the version trained from scratch, also through another warm start");
                Assert.That(version.Properties[ModelProperties.Profile], Is.EqualTo(fromScratch.Properties[ModelProperties.Profile]),
                    $"v{version.Version} is monitored against the data its featurization was fitted on, not its slice");
            }

            Assert.That(second["prep"].Prep().Rows, Is.EqualTo(500), "only the rows after the first incremental run");
            Assert.That(TypedResults.Label(second["train"].Train().WarmStartFrom), Is.EqualTo("churn v2"), "a warm-started model is continued in turn");
            Assert.That(production.Version, Is.EqualTo(3));
            Assert.That(predictions.Select(p => p.PredictedLabel), Has.All.AnyOf("yes", "no"));
            Assert.That(predictions.Select(p => p.Probability), Has.All.InRange(0.0, 1.0));
        });
    }

    [Test]
    public async Task Incremental_NoProductionModel_RunsAsFullSayingWhy()
    {
        // A full run whose candidate a gate rejects: the rows are consumed (the watermark moves), nothing is in production.
        _harness.Write(Pipelines.ChurnFile, Churn, History);
        var rejected = await _harness.RunAsync(Pipelines.Churn(gates: "auc: { min: 0.999 }"), RunMode.Full);
        Assert.That(rejected.Run.Status, Is.EqualTo(RunStatus.Failed), rejected.Describe());
        _harness.Append(Pipelines.ChurnFile, Churn, Slice);

        var run = await _harness.RunAsync(Pipelines.Churn(), RunMode.Incremental);

        Assert.That(run.Run.Status, Is.EqualTo(RunStatus.Succeeded), run.Describe());
        var note = "incremental run prepared as full: no production model of churn yet";
        Assert.Multiple(() =>
        {
            Assert.That(run["prep"].Prep().Rows, Is.EqualTo(3000), "every row, not the 1,000 after the watermark");
            Assert.That(run["prep"].Prep().PreparedAsFull, Is.Not.Null);
            Assert.That(run["prep"].Note(), Does.EndWith(note));
            Assert.That(run.Progress, Has.Some.EqualTo(note));
            Assert.That(run["train"].Train().Strategy, Is.EqualTo(TrainingStrategy.Full));
            Assert.That(run["train"].Train().WarmStartFrom, Is.Null);
            Assert.That(run["train"].Note(), Does.StartWith("lbfgs_logistic_regression trained on 2400 rows"));
            Assert.That(run.Run.Model?.Version, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Incremental_ProductionModelFileMissing_RunsAsFullSayingWhy()
    {
        _harness.Write(Pipelines.ChurnFile, Churn, History);
        Assert.That((await _harness.RunAsync(Pipelines.Churn(), RunMode.Full)).Run.Status, Is.EqualTo(RunStatus.Succeeded));
        File.Delete(_harness.Artifacts.PathOf((await _harness.ProductionAsync("churn"))!.ArtifactPath));
        _harness.Append(Pipelines.ChurnFile, Churn, Slice);

        var run = await _harness.RunAsync(Pipelines.Churn(), RunMode.Incremental);

        Assert.That(run.Run.Status, Is.EqualTo(RunStatus.Succeeded), run.Describe());
        Assert.Multiple(() =>
        {
            Assert.That(run["prep"].Prep().Rows, Is.EqualTo(3000));
            Assert.That(run["prep"].Note(), Does.EndWith(
                "incremental run prepared as full: the model or schema file of production churn v1 is missing from the artifact store"));
            Assert.That(run["train"].Train().Strategy, Is.EqualTo(TrainingStrategy.Full));
        });
    }

    [Test]
    public async Task Incremental_FeaturesChanged_FitsFromScratchSayingWhy()
    {
        _harness.Write(Pipelines.ChurnFile, Churn, History);
        Assert.That((await _harness.RunAsync(Pipelines.Churn(), RunMode.Full)).Run.Status, Is.EqualTo(RunStatus.Succeeded));
        _harness.Append(Pipelines.ChurnFile, Churn, Slice);

        var fewer = Pipelines.Churn(train: "features: [tenure_months, contract, support_calls]\nincremental: { strategy: warm_start }");
        var run = await _harness.RunAsync(fewer, RunMode.Incremental);

        Assert.That(run.Run.Status, Is.EqualTo(RunStatus.Succeeded), run.Describe());
        Assert.Multiple(() =>
        {
            Assert.That(run["train"].Train().Strategy, Is.EqualTo(TrainingStrategy.Full));
            Assert.That(run["train"].Note(), Does.Contain(
                "cannot warm-start from production churn v1: its schema differs from the new rows' (features were [tenure_months, monthly_charges, "
                + "contract, payment, support_calls, outages, last_note], now [tenure_months, contract, support_calls]); fitting lbfgs_logistic_regression "
                + "from scratch on the new rows"));
        });
    }

    [Test]
    public async Task Incremental_ProductionFromAnotherTrainer_RunsAsFullSayingWhy()
    {
        _harness.Write(Pipelines.ChurnFile, Churn, History);
        Assert.That((await _harness.RunAsync(Pipelines.Churn(trainer: "averaged_perceptron"), RunMode.Full)).Run.Status, Is.EqualTo(RunStatus.Succeeded));
        _harness.Append(Pipelines.ChurnFile, Churn, Slice);

        var run = await _harness.RunAsync(Pipelines.Churn(), RunMode.Incremental);

        Assert.That(run.Run.Status, Is.EqualTo(RunStatus.Succeeded), run.Describe());
        Assert.Multiple(() =>
        {
            Assert.That(run["prep"].Prep().Rows, Is.EqualTo(3000), "nothing to continue: every row, as a full run");
            Assert.That(run["prep"].Note(), Does.EndWith(
                "incremental run prepared as full: production churn v1 was trained with averaged_perceptron, and warm start continues only the same trainer "
                + "(lbfgs_logistic_regression)"));
            Assert.That(run["train"].Train().Strategy, Is.EqualTo(TrainingStrategy.Full));
        });
    }

    [Test]
    public async Task Incremental_GateFails_WatermarkAdvancesAndTheRunSaysWhatItKeptBack()
    {
        _harness.Write(Pipelines.ChurnFile, Churn, History);
        Assert.That((await _harness.RunAsync(Pipelines.Churn(), RunMode.Full)).Run.Status, Is.EqualTo(RunStatus.Succeeded));
        _harness.Append(Pipelines.ChurnFile, Churn, Slice);

        var failed = await _harness.RunAsync(Pipelines.Churn(gates: "auc: { min: 0.999 }"), RunMode.Incremental);
        var advanced = await _harness.Watermarks.GetAsync("churn", CancellationToken.None);
        var next = await _harness.RunAsync(Pipelines.Churn(), RunMode.Incremental);

        Assert.Multiple(() =>
        {
            Assert.That(failed.Run.Status, Is.EqualTo(RunStatus.Failed), failed.Describe());
            Assert.That(failed.Run.Error, Does.StartWith("step 'evaluate' failed: gate auc min 0.999 failed: "));
            Assert.That(failed.Run.Error, Does.EndWith(
                "; rows 2025-03-25T08:00:00Z..2025-05-05T23:00:00Z consumed but not deployed; the next full run trains on them"));
            Assert.That(advanced, Is.EqualTo(new DateTimeOffset(Start.AddHours(2999))), "a rejected candidate's rows are consumed, not read again for ever");
            Assert.That(next.Run.Status, Is.EqualTo(RunStatus.Succeeded), next.Describe());
            Assert.That(next["prep"].Prep().Empty, Is.True, "no rows newer than the advanced watermark");
        });
        Assert.That((await _harness.ProductionAsync("churn"))!.Version, Is.EqualTo(1));
    }

    [Test]
    public async Task Incremental_BadRows_WatermarkStaysSoTheFixedRowsAreReadAgain()
    {
        _harness.Write(Pipelines.ChurnFile, Churn, History);
        Assert.That((await _harness.RunAsync(Pipelines.Churn(), RunMode.Full)).Run.Status, Is.EqualTo(RunStatus.Succeeded));
        var watermark = await _harness.Watermarks.GetAsync("churn", CancellationToken.None);
        _harness.Append(Pipelines.ChurnFile, Churn, Slice);
        File.AppendAllLines(Path.Combine(_harness.DataRoot, Pipelines.ChurnFile), ["2025-06-01 00:00:00,not-a-number,1,month_to_month,card,0,0,,no"]);

        var failed = await _harness.RunAsync(Pipelines.Churn(), RunMode.Incremental);

        Assert.That(failed.Run.Status, Is.EqualTo(RunStatus.Failed), failed.Describe());
        Assert.That(failed.Run.Error, Does.StartWith("step 'prep' failed: "));
        Assert.That(await _harness.Watermarks.GetAsync("churn", CancellationToken.None), Is.EqualTo(watermark), "data that failed its checks is read again once fixed");
    }

    [Test]
    public async Task Full_AfterIncrementalRuns_FitsFromScratchOnEveryRowAndResetsTheWatermark()
    {
        _harness.Write(Pipelines.ChurnFile, Churn, History);
        Assert.That((await _harness.RunAsync(Pipelines.Churn(), RunMode.Full)).Run.Status, Is.EqualTo(RunStatus.Succeeded));
        _harness.Append(Pipelines.ChurnFile, Churn, Slice);
        Assert.That((await _harness.RunAsync(Pipelines.Churn(), RunMode.Incremental)).Run.Status, Is.EqualTo(RunStatus.Succeeded));
        var afterIncremental = await _harness.Watermarks.GetAsync("churn", CancellationToken.None);

        // The source is re-exported without the newest rows; a full run takes it as the new baseline.
        _harness.Write(Pipelines.ChurnFile, Churn, History);
        var full = await _harness.RunAsync(Pipelines.Churn(), RunMode.Full);

        Assert.That(full.Run.Status, Is.EqualTo(RunStatus.Succeeded), full.Describe());
        var watermark = await _harness.Watermarks.GetAsync("churn", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(afterIncremental, Is.EqualTo(new DateTimeOffset(Start.AddHours(2999))));
            Assert.That(full["prep"].Prep().Rows, Is.EqualTo(2000));
            Assert.That(full["train"].Train().Strategy, Is.Null, "a full run never warm-starts");
            Assert.That(full["train"].Note(), Does.StartWith("lbfgs_logistic_regression trained on 1600 rows"));
            Assert.That(watermark, Is.EqualTo(new DateTimeOffset(Start.AddHours(1999))));
        });
    }

    [Test]
    public async Task Incremental_NothingNew_RunSucceedsTrainSkippedNothingDeployed()
    {
        _harness.Write(Pipelines.ChurnFile, Churn, History);
        Assert.That((await _harness.RunAsync(Pipelines.Churn(), RunMode.Full)).Run.Status, Is.EqualTo(RunStatus.Succeeded));
        var watermark = await _harness.Watermarks.GetAsync("churn", CancellationToken.None);

        var run = await _harness.RunAsync(Pipelines.Churn(), RunMode.Incremental);
        var versions = await _harness.Registry.ListVersionsAsync("churn", CancellationToken.None);
        var after = await _harness.Watermarks.GetAsync("churn", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(run.Run.Status, Is.EqualTo(RunStatus.Succeeded), run.Describe());
            Assert.That(run.Run.Model, Is.Null, "nothing deployed");
            Assert.That(run["prep"].Prep().Empty, Is.True);
            Assert.That(run["prep"].Note(), Does.StartWith("no rows newer than the watermark 2025-03-25T07:00:00Z in churn.csv (2,000 rows read)"));
            Assert.That(run["train"].Status, Is.EqualTo(StepStatus.Skipped));
            Assert.That(run["train"].Note(), Is.EqualTo("data_prep step 'prep' found no new rows; nothing to train"));
            Assert.That(run["evaluate"].Status, Is.EqualTo(StepStatus.Skipped));
            Assert.That(run["deploy"].Status, Is.EqualTo(StepStatus.Skipped));
            Assert.That(versions, Has.Count.EqualTo(1));
            Assert.That(after, Is.EqualTo(watermark));
        });
    }
}
