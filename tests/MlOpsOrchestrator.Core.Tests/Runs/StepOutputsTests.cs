using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Runs;
using NUnit.Framework;

namespace MlOpsOrchestrator.Tests.Runs;

/// <summary>
/// The <c>outputs</c> of a step in the API and CLI JSON are derived from its typed result and must keep the names and
/// value texts clients have always read; reading such a dictionary back (a row of an earlier version) gives the result.
/// </summary>
[TestFixture]
public sealed class StepOutputsTests
{
    private static readonly DateTimeOffset Newest = new(2025, 3, 21, 23, 0, 0, TimeSpan.Zero);

    public static IEnumerable<TestCaseData> Cases()
    {
        yield return Case("data_prep", new PrepResult { Rows = 250000, TrainRows = 200000, TestRows = 50000, DataHash = "sha256:9d2e", Watermark = Newest, Note = "prepared" },
            ("rows", "250000"), ("train_rows", "200000"), ("test_rows", "50000"), ("data_hash", "sha256:9d2e"), ("watermark", "2025-03-21T23:00:00Z"), ("note", "prepared"));
        yield return Case("data_prep", new PrepResult { Rows = 24, TrainRows = 19, TestRows = 5, DataHash = "h", Watermark = Newest.AddTicks(1_230_000), WindowRows = 68, WindowStart = Newest.AddDays(-3) },
            ("rows", "24"), ("train_rows", "19"), ("test_rows", "5"), ("data_hash", "h"), ("watermark", "2025-03-21T23:00:00.123Z"),
            ("window_rows", "68"), ("window_start", "2025-03-18T23:00:00Z"));
        yield return Case("data_prep", new PrepResult { Empty = true }, ("empty", "true"), ("rows", "0"), ("train_rows", "0"), ("test_rows", "0"));
        yield return Case("train", new TrainResult { Task = MlTask.Regression, Trainer = "fast_tree", MeasuredOn = "prep" },
            ("task", "regression"), ("trainer", "fast_tree"), ("measured_on", "prep"));
        yield return Case("train", new TrainResult
        {
            Task = MlTask.Binary, Trainer = "sdca", MeasuredOn = "prep", TrainRows = 500, TestRows = 125, Strategy = TrainingStrategy.WarmStart, WarmStartFrom = new ModelRef("churn", 3),
        },
            ("task", "binary"), ("trainer", "sdca"), ("measured_on", "prep"), ("train_rows", "500"), ("test_rows", "125"), ("strategy", "warm_start"),
            ("warm_start_from", "churn v3"), ("warm_start_version", "3"));
        yield return Case("train", new TrainResult { Task = MlTask.Multiclass, Trainer = "t", Strategy = TrainingStrategy.Window, TrainRows = 68, TestRows = 5 },
            ("task", "multiclass"), ("trainer", "t"), ("train_rows", "68"), ("test_rows", "5"), ("strategy", "window"));
        yield return Case("evaluate", new EvaluateResult { Chosen = "train", ProductionVersion = 1 }, ("chosen", "train"), ("production_version", "1"));
        yield return Case("evaluate", new EvaluateResult { Chosen = "good" }, ("chosen", "good"));
        yield return Case("deploy", new DeployResult { Deployed = new ModelRef("churn", 12) }, ("model_name", "churn"), ("model_version", "12"));
        yield return Case("monitor", new MonitorResult
        {
            Verdict = MonitorVerdict.Performance, WindowRows = 336, WindowSource = WindowSource.Data, ModelVersion = 2, WindowEnd = Newest, WorstFeature = "temp", WorstScore = 0.1,
        },
            ("verdict", "performance"), ("window_rows", "336"), ("window_source", "data"), ("model_version", "2"), ("window_end", "2025-03-21T23:00:00Z"),
            ("worst_feature", "temp"), ("worst_score", "0.1"));
        yield return Case("monitor", new MonitorResult { Verdict = MonitorVerdict.Drift, WindowRows = 600, WindowSource = WindowSource.Predictions, ModelVersion = 1 },
            ("verdict", "drift"), ("window_rows", "600"), ("window_source", "predictions"), ("model_version", "1"));
        yield return Case("retrain", new RetrainResult { StartedRun = "r-2" }, ("started_run", "r-2"));
        yield return Case("train", new NoteResult { Note = "nothing to train" }, ("note", "nothing to train"));
    }

    [TestCaseSource(nameof(Cases))]
    public void Of_Result_TheNamesAndTextsClientsRead(string kind, StepResult result, Dictionary<string, string> expected)
    {
        Assert.That(StepOutputs.Of(result), Is.EqualTo(expected));
    }

    [TestCaseSource(nameof(Cases))]
    public void Read_OutputsOfAResult_GivesTheResultBack(string kind, StepResult result, Dictionary<string, string> expected)
    {
        Assert.That(StepOutputs.Read(kind, expected, "{}"), Is.EqualTo(result));
    }

    [TestCaseSource(nameof(Cases))]
    public void StoredJson_Result_ReadsBackEqual(string kind, StepResult result, Dictionary<string, string> expected)
    {
        var json = StepResultJson.Write(result)!;

        Assert.That(json, Does.StartWith("""{"version":1,"kind":"""));
        Assert.That(StepResultJson.Read(json), Is.EqualTo(result));
    }

    [TestCase("not json")]
    [TestCase("""{"model_name":"churn","model_version":"3"}""")]
    [TestCase("""{"version":"one","kind":"deploy","result":{}}""")]
    [TestCase("""{"version":1,"kind":"deploy"}""")]
    [TestCase("""{"version":1,"kind":"deploy","result":{"note":"churn v5"}}""")]
    public void StoredJson_NotAResultOfThisVersion_ReadsUnrecognisedKeepingTheText(string json)
    {
        var read = StepResultJson.Read(json);

        Assert.That(read, Is.InstanceOf<UnrecognisedResult>());
        Assert.That(((UnrecognisedResult)read).Json, Is.EqualTo(json));
        Assert.That(StepResultJson.Write(read), Is.EqualTo(json), "written back unchanged");
    }

    private static TestCaseData Case(string kind, StepResult result, params (string Key, string Value)[] outputs) =>
        new TestCaseData(kind, result, outputs.ToDictionary(o => o.Key, o => o.Value)).SetArgDisplayNames(kind, result.GetType().Name, string.Join(",", outputs.Select(o => o.Key)));
}
