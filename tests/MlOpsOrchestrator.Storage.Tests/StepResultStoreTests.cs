using System.Text.Json;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Storage.Sql;
using MlOpsOrchestrator.Storage.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Storage.Tests;

/// <summary>
/// A step's typed result as stored: every kind reads back equal; a row written before typed results (a flat string
/// dictionary in <c>outputs</c>, no <c>result</c>) reads back typed; a result of a newer format or an unknown kind reads
/// as unrecognised, keeping what was stored; and <c>outputs</c> keeps the string view older processes read.
/// </summary>
[TestFixtureSource(typeof(StoreEngines), nameof(StoreEngines.All))]
public sealed class StepResultStoreTests(StoreEngine engine) : StoreFixture(engine)
{
    private static readonly DateTimeOffset Watermark = new(2025, 3, 21, 23, 0, 0, 123, TimeSpan.Zero);

    public static IEnumerable<TestCaseData> EveryKind()
    {
        yield return new TestCaseData("data_prep", new PrepResult
        {
            Rows = 24, TrainRows = 19, TestRows = 5, DataHash = "sha256:9d2e", Watermark = Watermark,
            WindowRows = 68, WindowStart = Watermark.AddDays(-3), Note = "prepared 24 rows",
        }).SetName("{m}(data_prep)");
        yield return new TestCaseData("data_prep", new PrepResult { Empty = true, Note = "no rows newer than the watermark" }).SetName("{m}(data_prep, empty)");
        yield return new TestCaseData("train", new TrainResult
        {
            Task = MlTask.Binary, Trainer = "lbfgs_logistic_regression", MeasuredOn = "prep", Strategy = TrainingStrategy.WarmStart,
            TrainRows = 500, TestRows = 125, WarmStartFrom = new ModelRef("churn", 2),
        }).SetName("{m}(train)");
        yield return new TestCaseData("evaluate", new EvaluateResult { Chosen = "train-trees", ProductionVersion = 4, Note = "chose train-trees" }).SetName("{m}(evaluate)");
        yield return new TestCaseData("deploy", new DeployResult { Deployed = new ModelRef("churn", 5), Note = "churn v5 (train-trees); production v4 → v5" }).SetName("{m}(deploy)");
        yield return new TestCaseData("monitor", new MonitorResult
        {
            Verdict = MonitorVerdict.Drift, WindowRows = 336, WindowSource = WindowSource.Data, WindowEnd = Watermark, ModelVersion = 3,
            WorstFeature = "temp", WorstScore = 0.4123456789012345,
        }).SetName("{m}(monitor)");
        yield return new TestCaseData("monitor", new MonitorResult
        {
            Verdict = MonitorVerdict.Ok, WindowRows = 2, WindowSource = WindowSource.Predictions, ModelVersion = 1, WorstScore = double.NaN,
        }).SetName("{m}(monitor, from predictions, NaN score)");
        yield return new TestCaseData("retrain", new RetrainResult { StartedRun = "20250321-abc", Note = "started run 20250321-abc" }).SetName("{m}(retrain)");
        yield return new TestCaseData("train", new NoteResult { Note = "data_prep step 'prep' found no new rows; nothing to train" }).SetName("{m}(a note only)");
    }

    [TestCaseSource(nameof(EveryKind))]
    public async Task CommitAsync_Result_ReadsBackEqual(string kind, StepResult result)
    {
        var (run, step) = await CreateAsync(kind);

        await Stores.RunExecution.CommitAsync(null, [step with { Status = StepStatus.Succeeded, Result = result }], null, CancellationToken.None);

        var read = (await Stores.Runs.GetStepsAsync(run.RunId, CancellationToken.None)).Single();
        if (result is MonitorResult { WorstScore: double.NaN })
        {
            // NaN equals nothing, itself included: the other fields compared, then the score is NaN.
            Assert.That(read.Result, Is.EqualTo(result).Using<StepResult>(SameExceptScore));
            Assert.That((read.Result as MonitorResult)?.WorstScore, Is.NaN);
            return;
        }

        Assert.That(read.Result, Is.EqualTo(result));
    }

    [TestCaseSource(nameof(EveryKind))]
    public async Task CommitAsync_Result_OutputsColumnKeepsTheStringView(string kind, StepResult result)
    {
        var (run, step) = await CreateAsync(kind);

        await Stores.RunExecution.CommitAsync(null, [step with { Status = StepStatus.Succeeded, Result = result }], null, CancellationToken.None);

        var outputs = await RawOutputsAsync(run.RunId, step.StepId);
        Assert.That(outputs, Is.EqualTo(StepOutputs.Of(result)));
        Assert.That(StepOutputs.Read(kind, outputs, ""), Is.EqualTo(result).Using<StepResult>(SameExceptScore), "an older process reads the same");
    }

    [Test]
    public async Task GetSteps_OldDeployRow_ReadsTheDeployedModel()
    {
        var run = await InsertOldRowAsync("deploy", """{"model_name":"churn","model_version":"3","note":"churn v3 (train); production → v3"}""");

        var read = (await Stores.Runs.GetStepsAsync(run.RunId, CancellationToken.None)).Single();

        Assert.That(read.Result, Is.EqualTo(new DeployResult { Deployed = new ModelRef("churn", 3), Note = "churn v3 (train); production → v3" }));
    }

    [Test]
    public async Task GetSteps_OldDataPrepRow_ReadsTheWatermark()
    {
        var run = await InsertOldRowAsync(
            "data_prep",
            """{"rows":"24","train_rows":"19","test_rows":"5","data_hash":"sha256:9d2e","watermark":"2025-03-21T23:00:00.123Z","window_rows":"68","window_start":"2025-03-18T23:00:00.123Z"}""");

        var read = (await Stores.Runs.GetStepsAsync(run.RunId, CancellationToken.None)).Single();

        Assert.That(read.Result, Is.EqualTo(new PrepResult
        {
            Rows = 24, TrainRows = 19, TestRows = 5, DataHash = "sha256:9d2e", Watermark = Watermark, WindowRows = 68, WindowStart = Watermark.AddDays(-3),
        }));
    }

    [Test]
    public async Task GetSteps_OldEmptyDataPrepRow_ReadsEmpty()
    {
        var run = await InsertOldRowAsync("data_prep", """{"empty":"true","rows":"0","train_rows":"0","test_rows":"0","note":"no rows newer"}""");

        var read = (await Stores.Runs.GetStepsAsync(run.RunId, CancellationToken.None)).Single();

        Assert.That(read.Result, Is.EqualTo(new PrepResult { Empty = true, Note = "no rows newer" }));
    }

    [Test]
    public async Task GetSteps_OldEvaluateRow_ReadsTheChosenCandidate()
    {
        var run = await InsertOldRowAsync("evaluate", """{"chosen":"train-trees","production_version":"2"}""");

        var read = (await Stores.Runs.GetStepsAsync(run.RunId, CancellationToken.None)).Single();

        Assert.That(read.Result, Is.EqualTo(new EvaluateResult { Chosen = "train-trees", ProductionVersion = 2 }));
    }

    [Test]
    public async Task GetSteps_OldWarmStartTrainRow_ReadsTheContinuedVersion()
    {
        var run = await InsertOldRowAsync(
            "train",
            """{"task":"binary","trainer":"sdca","measured_on":"prep","train_rows":"500","test_rows":"125","strategy":"warm_start","warm_start_from":"churn v2","warm_start_version":"2"}""");

        var read = (await Stores.Runs.GetStepsAsync(run.RunId, CancellationToken.None)).Single();

        Assert.That(read.Result, Is.EqualTo(new TrainResult
        {
            Task = MlTask.Binary, Trainer = "sdca", MeasuredOn = "prep", TrainRows = 500, TestRows = 125, Strategy = TrainingStrategy.WarmStart,
            WarmStartFrom = new ModelRef("churn", 2),
        }));
    }

    [Test]
    public async Task GetSteps_OldMonitorAndRetrainRows_ReadTyped()
    {
        var monitor = await InsertOldRowAsync(
            "monitor",
            """{"verdict":"drift","window_rows":"336","window_source":"data","model_version":"3","window_end":"2025-03-21T23:00:00.123Z","worst_feature":"temp","worst_score":"0.41"}""");
        var retrain = await InsertOldRowAsync("retrain", """{"started_run":"20250321-abc","note":"started run 20250321-abc"}""");

        var monitored = (await Stores.Runs.GetStepsAsync(monitor.RunId, CancellationToken.None)).Single();
        var retrained = (await Stores.Runs.GetStepsAsync(retrain.RunId, CancellationToken.None)).Single();

        Assert.That(monitored.Result, Is.EqualTo(new MonitorResult
        {
            Verdict = MonitorVerdict.Drift, WindowRows = 336, WindowSource = WindowSource.Data, ModelVersion = 3, WindowEnd = Watermark,
            WorstFeature = "temp", WorstScore = 0.41,
        }));
        Assert.That(retrained.Result, Is.EqualTo(new RetrainResult { StartedRun = "20250321-abc", Note = "started run 20250321-abc" }));
    }

    [TestCase("""{}""", null)]
    [TestCase("""{"note":"data_prep step 'prep' found no new rows; nothing to train"}""", "note")]
    public async Task GetSteps_OldRowWithoutResult_ReadsNothingOrTheNote(string outputs, string? expected)
    {
        var run = await InsertOldRowAsync("train", outputs);

        var read = (await Stores.Runs.GetStepsAsync(run.RunId, CancellationToken.None)).Single();

        Assert.That(read.Result, expected is null ? Is.Null : Is.EqualTo(new NoteResult { Note = "data_prep step 'prep' found no new rows; nothing to train" }));
    }

    [Test]
    public async Task GetSteps_OldRowThatDoesNotReadAsItsKind_IsUnrecognisedWithItsOutputs()
    {
        const string Outputs = """{"model_name":"churn","model_version":"three","note":"odd"}""";
        var run = await InsertOldRowAsync("deploy", Outputs);

        var read = (await Stores.Runs.GetStepsAsync(run.RunId, CancellationToken.None)).Single();

        var unrecognised = read.Result as UnrecognisedResult;
        Assert.That(unrecognised, Is.Not.Null, $"read as {read.Result}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(unrecognised!.Version, Is.Zero);
            Assert.That(unrecognised.Note, Is.EqualTo("odd"));
            Assert.That(StepOutputs.Of(unrecognised), Is.EqualTo(new Dictionary<string, string> { ["model_name"] = "churn", ["model_version"] = "three", ["note"] = "odd" }));
        }
    }

    [TestCase("""{"version":2,"kind":"deploy","result":{"deployed":"churn@5","canary":0.1,"note":"churn v5 as canary"}}""", 2, "deploy")]
    [TestCase("""{"version":1,"kind":"shadow","result":{"alias":"shadow","note":"churn v5 as canary"}}""", 1, "shadow")]
    [TestCase("""{"version":1,"kind":"deploy","result":{"deployed":"not a model","note":"churn v5 as canary"}}""", 1, "deploy")]
    public async Task GetSteps_ResultOfAnotherFormatOrKind_IsUnrecognisedKeepingTheStoredJson(string json, int version, string kind)
    {
        var (run, step) = await CreateAsync("deploy");
        await Stores.RunExecution.CommitAsync(null, [step with { Status = StepStatus.Succeeded, Result = new DeployResult { Deployed = new ModelRef("churn", 4) } }], null, CancellationToken.None);
        await using (var sql = Target.CreateEngine())
        await using (var connection = await sql.OpenAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync(
                $"UPDATE {sql.Table("steps")} SET result = @result WHERE run_id = @run_id", null, CancellationToken.None, ("@result", json), ("@run_id", run.RunId));
        }

        var read = (await Stores.Runs.GetStepsAsync(run.RunId, CancellationToken.None)).Single();
        var unrecognised = read.Result as UnrecognisedResult;
        Assert.That(unrecognised, Is.Not.Null, $"read as {read.Result}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(unrecognised!.Version, Is.EqualTo(version));
            Assert.That(unrecognised.Kind, Is.EqualTo(kind));
            Assert.That(unrecognised.Json, Is.EqualTo(json));
            Assert.That(unrecognised.Note, Is.EqualTo("churn v5 as canary"));
        }

        // Written back (a later commit of the same step) as it was read: a newer process still finds its own result.
        await Stores.RunExecution.CommitAsync(null, [read with { Attempts = 2 }], null, CancellationToken.None);
        var again = (await Stores.Runs.GetStepsAsync(run.RunId, CancellationToken.None)).Single();
        Assert.That((again.Result as UnrecognisedResult)?.Json, Is.EqualTo(json));
    }

    private static bool SameExceptScore(StepResult? a, StepResult? b) => (a, b) switch
    {
        (MonitorResult x, MonitorResult y) => x with { WorstScore = null } == y with { WorstScore = null },
        _ => Equals(a, b),
    };

    private async Task<(RunRecord Run, StepRecord Step)> CreateAsync(string kind)
    {
        var run = Sample.Run(Sample.Name("results"));
        var step = Sample.Step(run, "step", kind);
        await Stores.Runs.CreateAsync(run, [step], CancellationToken.None);
        return (run, step);
    }

    /// <summary>A run with one finished step as the previous version wrote it: its INSERT, outputs as a flat string dictionary, no result.</summary>
    private async Task<RunRecord> InsertOldRowAsync(string kind, string outputs)
    {
        var run = Sample.Run(Sample.Name("old"));
        await Stores.Runs.CreateAsync(run, [], CancellationToken.None);
        await using var sql = Target.CreateEngine();
        await using var connection = await sql.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(
            $"INSERT INTO {sql.Table("steps")} (run_id, step_id, kind, status, attempts, started_at, finished_at, metrics, artifacts, outputs, error, decided_by, reason, ordinal) " +
            "VALUES (@run_id, 'step', @kind, 'succeeded', 1, @at, @at, '{}', '{}', @outputs, NULL, NULL, NULL, 0)",
            null, CancellationToken.None, ("@run_id", run.RunId), ("@kind", kind), ("@at", sql.TimeValue(Sample.T0)), ("@outputs", outputs));
        return run;
    }

    private async Task<IReadOnlyDictionary<string, string>> RawOutputsAsync(string runId, string stepId)
    {
        await using var sql = Target.CreateEngine();
        await using var connection = await sql.OpenAsync(CancellationToken.None);
        await using var command = connection.Command($"SELECT outputs FROM {sql.Table("steps")} WHERE run_id = @run_id AND step_id = @step_id")
            .With("@run_id", runId).With("@step_id", stepId);
        var text = (string)(await command.ExecuteScalarAsync())!;
        return JsonSerializer.Deserialize<Dictionary<string, string>>(text)!;
    }
}
