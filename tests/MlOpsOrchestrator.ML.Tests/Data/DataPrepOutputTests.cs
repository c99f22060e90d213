using System.Globalization;
using System.Text.Json.Nodes;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Data.Profiling;
using MlOpsOrchestrator.ML.Steps.DataPrep;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.ML.Tests.Support;
using MlOpsOrchestrator.Runs;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Data;

/// <summary>What data_prep hands to later steps: the .idv files, schema.json, profile.json, outputs and progress.</summary>
[TestFixture]
public sealed class DataPrepOutputTests
{
    private const string AllTypes = """
        source: { type: csv, path: d.csv }
        timestamp: ts
        label: label
        schema:
          n: { type: int }
          x: { type: float, missing: mean }
          flag: { type: boolean }
          kind: { type: categorical }
          note: { type: text }
          day: { type: datetime }
        """;

    private DataPrepHarness _harness = null!;

    [SetUp]
    public void SetUp() => _harness = new DataPrepHarness();

    [TearDown]
    public void TearDown() => _harness.Dispose();

    private static string AllTypesCsv(int rows, Func<int, string>? label = null) =>
        SampleCsv.Of("ts,n,x,flag,kind,note,day,label", rows, i => string.Create(
            CultureInfo.InvariantCulture,
            $"{SampleCsv.Hour(i)},{i},{(i == 3 ? "" : $"{i}.25")},{i % 2 == 0},{(i % 3 == 0 ? "a" : "b")},\"note, {i}\",2024-03-{(i % 28) + 1:00},{label?.Invoke(i) ?? $"{i}"}"));

    [TestCase(MlTask.Regression, "fast_tree", typeof(float))]
    [TestCase(MlTask.Binary, "fast_tree", typeof(bool))]
    [TestCase(MlTask.Multiclass, "light_gbm", typeof(ReadOnlyMemory<char>))]
    public async Task Execute_IdvColumns_FollowTheDatasetContract(MlTask task, string trainer, Type labelType)
    {
        Func<int, string> label = task switch
        {
            MlTask.Binary => i => (i % 2).ToString(CultureInfo.InvariantCulture),
            MlTask.Multiclass => i => "xyz"[i % 3].ToString(),
            _ => i => i.ToString(CultureInfo.InvariantCulture),
        };
        _harness.Write("d.csv", AllTypesCsv(40, label));
        var outcome = await _harness.SucceedAsync(DataPrepHarness.Pipeline(AllTypes, train: $"task: {task.ToString().ToLowerInvariant()}\ntrainer: {trainer}"));

        var prepared = _harness.Prepared(outcome);
        var types = prepared.Train.Schema.ToDictionary(c => c.Name, c => c.Type.RawType);
        Assert.That(types, Is.EqualTo(new Dictionary<string, Type>
        {
            ["ts"] = typeof(DateTime),
            ["n"] = typeof(float),
            ["x"] = typeof(float),
            ["flag"] = typeof(bool),
            ["kind"] = typeof(ReadOnlyMemory<char>),
            ["note"] = typeof(ReadOnlyMemory<char>),
            ["day"] = typeof(DateTime),
            ["label"] = labelType,
        }));
    }

    [Test]
    public async Task Execute_IdvRoundTrip_ValuesSurvive()
    {
        _harness.Write("d.csv", AllTypesCsv(10));
        var outcome = await _harness.SucceedAsync(DataPrepHarness.Pipeline(AllTypes, "split: { by: time, test_fraction: 0.3 }"));

        var prepared = _harness.Prepared(outcome);
        Assert.Multiple(() =>
        {
            Assert.That(DataViewReader.Column<float>(prepared.Train, "n"), Is.EqualTo(new[] { 0f, 1, 2, 3, 4, 5, 6 }));
            Assert.That(DataViewReader.Column<float>(prepared.Train, "x")[3], Is.NaN);
            Assert.That(DataViewReader.Column<float>(prepared.Train, "x")[2], Is.EqualTo(2.25f));
            Assert.That(DataViewReader.Column<bool>(prepared.Train, "flag").Take(2), Is.EqualTo(new[] { true, false }));
            Assert.That(DataViewReader.Strings(prepared.Train, "kind").Take(4), Is.EqualTo(new[] { "a", "b", "b", "a" }));
            Assert.That(DataViewReader.Strings(prepared.Test, "note"), Is.EqualTo(new[] { "note, 7", "note, 8", "note, 9" }));
            Assert.That(DataViewReader.Column<DateTime>(prepared.Test, "ts")[0], Is.EqualTo(new DateTime(2024, 1, 1, 7, 0, 0)));
            Assert.That(DataViewReader.Column<float>(prepared.Test, "label"), Is.EqualTo(new[] { 7f, 8, 9 }));
        });
    }

    [Test]
    public async Task Execute_SchemaJson_CamelCaseSnakeCaseEnumsAndReadsBack()
    {
        _harness.Write("d.csv", AllTypesCsv(10));
        var outcome = await _harness.SucceedAsync(DataPrepHarness.Pipeline(AllTypes));

        var json = File.ReadAllText(_harness.Artifacts.PathOf(outcome.Artifacts[ArtifactNames.Schema]));
        var node = JsonNode.Parse(json)!;
        var schema = DatasetSchemaJson.Deserialize(json);
        Assert.Multiple(() =>
        {
            Assert.That(node["label"]!.GetValue<string>(), Is.EqualTo("label"));
            Assert.That(node["timestamp"]!.GetValue<string>(), Is.EqualTo("ts"));
            Assert.That(node["features"], Is.Null, "derived from the columns, not written");
            Assert.That(node["columns"]![4]!.ToJsonString(), Is.EqualTo("""{"name":"kind","type":"categorical","role":"feature","missing":"fail"}"""));
            Assert.That(node["columns"]![0]!["role"]!.GetValue<string>(), Is.EqualTo("timestamp"));
            Assert.That(schema.Columns, Is.EqualTo(_harness.Prepared(outcome).Schema.Columns));
            Assert.That(schema.Features.Select(f => f.Name), Is.EqualTo(new[] { "n", "x", "flag", "kind", "note", "day" }));
        });
    }

    [Test]
    public async Task Execute_Profile_NumericBinsCategoriesAndTimeRange()
    {
        _harness.Write("d.csv", SampleCsv.Of("ts,v,city,label", 1000, i => $"{SampleCsv.Hour(i)},{i + 1},{(i % 10 < 6 ? "Oslo" : i % 10 < 9 ? "Lima" : "Pune")},{i % 7}"));
        var outcome = await _harness.SucceedAsync(DataPrepHarness.Pipeline(
            "source: { type: csv, path: d.csv }\ntimestamp: ts\nlabel: label", "split: { by: time, test_fraction: 0.5 }"));

        var profile = PreparedData.LoadProfile(_harness.Artifacts, DataPrepHarness.Record(outcome));
        var v = profile.Column("v")!;
        var city = profile.Column("city")!.Categorical!;
        Assert.Multiple(() =>
        {
            // The training half: v = 1..500, hours 0..499.
            Assert.That(profile.Rows, Is.EqualTo(500));
            Assert.That(profile.From, Is.EqualTo(new DateTime(2024, 1, 1)));
            Assert.That(profile.To, Is.EqualTo(new DateTime(2024, 1, 1).AddHours(499)));
            Assert.That(v.Type, Is.EqualTo(ColumnType.Int));
            Assert.That(v.Count, Is.EqualTo(500));
            Assert.That(v.Numeric!.Min, Is.EqualTo(1));
            Assert.That(v.Numeric.Max, Is.EqualTo(500));
            Assert.That(v.Numeric.Mean, Is.EqualTo(250.5).Within(1e-9));
            Assert.That(v.Numeric.Std, Is.EqualTo(144.3374).Within(1e-3));
            Assert.That(v.Numeric.BinEdges, Has.Count.EqualTo(9).And.Ordered);
            Assert.That(v.Numeric.BinEdges[4], Is.EqualTo(250.5).Within(1e-9));
            Assert.That(v.Numeric.BinFractions, Is.EqualTo(Enumerable.Repeat(0.1, 10)).Within(1e-9));
            Assert.That(v.Numeric.BinOf(-1000), Is.Zero);
            Assert.That(v.Numeric.BinOf(1e9), Is.EqualTo(9));
            Assert.That(city.Distinct, Is.EqualTo(3));
            Assert.That(city.Top.Select(t => (t.Value, t.Fraction)), Is.EqualTo(new[] { ("Oslo", 0.6), ("Lima", 0.3), ("Pune", 0.1) }));
            Assert.That(profile.Column("label")!.Role, Is.EqualTo(ColumnRole.Label));
        });
    }

    [Test]
    public async Task Execute_Profile_ConstantColumnHasOneBinOfEverything()
    {
        _harness.Write("d.csv", SampleCsv.Of("zero,label", 50, i => $"0,{i}"));
        var outcome = await _harness.SucceedAsync(DataPrepHarness.Pipeline("source: { type: csv, path: d.csv }\nlabel: label"));

        var numeric = PreparedData.LoadProfile(_harness.Artifacts, DataPrepHarness.Record(outcome)).Column("zero")!.Numeric!;
        Assert.Multiple(() =>
        {
            Assert.That(numeric.BinEdges, Is.EqualTo(new[] { 0.0 }));
            Assert.That(numeric.BinFractions, Is.EqualTo(new[] { 1.0, 0.0 }));
        });
    }

    [Test]
    public async Task Execute_DataHash_StableForSameDataChangesWithAValue()
    {
        _harness.Write("d.csv", SampleCsv.Weather(100));
        var first = await _harness.SucceedAsync(DataPrepHarness.Pipeline("source: { type: csv, path: d.csv }\ntimestamp: ts\nlabel: label"));
        var again = await _harness.SucceedAsync(DataPrepHarness.Pipeline("source: { type: csv, path: d.csv }\ntimestamp: ts\nlabel: label"));
        _harness.Write("d.csv", SampleCsv.Weather(100).Replace("Lima,3\n", "Lima,4\n", StringComparison.Ordinal));
        var changed = await _harness.SucceedAsync(DataPrepHarness.Pipeline("source: { type: csv, path: d.csv }\ntimestamp: ts\nlabel: label"));

        var hash = first.Prep().DataHash;
        Assert.Multiple(() =>
        {
            Assert.That(hash, Does.Match("^[0-9a-f]{64}$"));
            Assert.That(again.Prep().DataHash, Is.EqualTo(hash));
            Assert.That(changed.Prep().DataHash, Is.Not.EqualTo(hash));
        });
    }

    [Test]
    public async Task Execute_Success_ArtifactsUnderRunAndStepWithOutputsAndProgress()
    {
        _harness.Write("d.csv", SampleCsv.Weather(250_000));
        var outcome = await _harness.SucceedAsync(DataPrepHarness.Pipeline("source: { type: csv, path: d.csv }\ntimestamp: ts\nlabel: label"));

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Artifacts, Is.EqualTo(new Dictionary<string, string>
            {
                ["train"] = "runs/run-1/prep/train.idv",
                ["test"] = "runs/run-1/prep/test.idv",
                ["schema"] = "runs/run-1/prep/schema.json",
                ["profile"] = "runs/run-1/prep/profile.json",
            }));
            Assert.That(outcome.Artifacts.Values.All(_harness.Artifacts.Exists), Is.True);
            Assert.That(outcome.Prep().Rows, Is.EqualTo(250000));
            Assert.That(outcome.Prep().TrainRows, Is.EqualTo(200000));
            Assert.That(outcome.Prep().TestRows, Is.EqualTo(50000));
            Assert.That(TypedResults.Iso(outcome.Prep().Watermark), Is.EqualTo(
                new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(249_999).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)));
            Assert.That(_harness.Progress.SkipLast(1), Is.EqualTo(new[] { "read 100,000 rows of d.csv", "read 200,000 rows of d.csv", "read 250,000 rows of d.csv, kept 250,000" }));
            Assert.That(_harness.Progress[^1], Does.Match(
                @"^prepared in read \d+\.\d\d s, checks \d+\.\d\d s, hash \d+\.\d\d s, split \d+\.\d\d s, profile \d+\.\d\d s, write \d+\.\d\d s \(total \d+\.\d\d s\)$"));
            Assert.That(outcome.Message, Is.EqualTo("prepared 250,000 rows from d.csv: 200,000 train, 50,000 test (random split); 0 dropped for missing values"));
        });
    }

    [Test]
    public async Task Execute_SameRunTwice_OverwritesWithTheSameResult()
    {
        _harness.Write("d.csv", SampleCsv.Weather(60));
        var definition = _harness.Load(DataPrepHarness.Pipeline("source: { type: csv, path: d.csv }\ntimestamp: ts\nlabel: label"));

        var first = await _harness.RunAsync(definition, runId: "run-7");
        var again = await _harness.RunAsync(definition, runId: "run-7");

        Assert.Multiple(() =>
        {
            Assert.That(again.Artifacts, Is.EqualTo(first.Artifacts));
            Assert.That(again.Result, Is.EqualTo(first.Result));
            Assert.That(Directory.GetFiles(Path.GetDirectoryName(_harness.Artifacts.PathOf(first.Artifacts["train"]))!), Has.Length.EqualTo(4), "no temporary files left behind");
        });
    }

    [Test]
    public void ProfileJson_RoundTrip_CamelCaseAndEqualValues()
    {
        var profile = new DataProfile
        {
            Rows = 2,
            From = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            Columns =
            [
                new ColumnProfile { Name = "v", Type = ColumnType.Float, Role = ColumnRole.Feature, Count = 2, Missing = 0, Numeric = new NumericProfile(1, 2, 1.5, 0.5, [1.5], [0.5, 0.5]) },
            ],
        };

        var json = DataProfileJson.Serialize(profile);
        var back = DataProfileJson.Deserialize(json);

        Assert.Multiple(() =>
        {
            Assert.That(json, Does.Contain("\"binEdges\": [").And.Contain("\"role\": \"feature\"").And.Contain("\"from\": \"2024-01-01T00:00:00Z\""));
            Assert.That(back.Columns[0].Numeric!.BinFractions, Is.EqualTo(new[] { 0.5, 0.5 }));
            Assert.That(back.From, Is.EqualTo(profile.From));
        });
    }

    [Test]
    public void Load_EmptySlice_ExplainsWhyThereIsNoData()
    {
        var record = DataPrepHarness.Record(new StepOutcome
        {
            Status = Runs.StepStatus.Succeeded,
            Result = new PrepResult { Empty = true },
        });

        Assert.That(
            () => PreparedData.Load(_harness.Ml, _harness.Artifacts, record),
            Throws.InvalidOperationException.With.Message.Contains("an incremental slice without new rows"));
    }
}
