using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.ML.Serving;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.ML.Tests.Steps.Support;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Serving;

/// <summary>
/// Models trained and deployed by the real step executors, then loaded from the registry the way serving does, so
/// these tests also prove the featurization travels inside the zip.
/// </summary>
[TestFixture]
public sealed class ModelScorerTests
{
    private static readonly List<SyntheticRow> TrainRows = SyntheticData.Rows(400, seed: 31);
    private static readonly List<SyntheticRow> TestRows = SyntheticData.Rows(120, seed: 32);

    private StepHarness _harness = null!;
    private ModelScorer _regression = null!;
    private ModelScorer _binary = null!;
    private ModelScorer _perceptron = null!;
    private ModelScorer _multiclass = null!;
    private double _trainedRmse;

    [OneTimeSetUp]
    public async Task TrainAndDeployAsync()
    {
        _harness = new StepHarness("serving");
        _regression = await DeployAsync("demand", MlTask.Regression, "fast_tree", features: ["amount", "visits", "segment", "member", "note", "opened"]);
        _trainedRmse = _harness.Records["train"].Metrics["rmse"];
        _binary = await DeployAsync("churn", MlTask.Binary, "lbfgs_logistic_regression", positive: "yes", classes: ["no", "yes"]);
        _perceptron = await DeployAsync("churn-perceptron", MlTask.Binary, "averaged_perceptron");
        _multiclass = await DeployAsync("teams", MlTask.Multiclass, "lbfgs_maximum_entropy");
    }

    [OneTimeTearDown]
    public void TearDown() => _harness.Dispose();

    [Test]
    public void ScoreToJson_Regression_IsAnObjectWithOnlyAScore()
    {
        var result = _regression.ScoreToJson(Json(Row(TestRows[0])));

        Assert.That(Keys(result), Is.EqualTo(new[] { "score" }));
        Assert.That(result["score"]!.GetValue<double>(), Is.EqualTo(TestRows[0].Demand).Within(40));
    }

    [Test]
    public void Score_RegressionOnRawTestRows_ReproducesTheTrainStepsRmse()
    {
        // Raw values, nulls for missing amounts, unparsed categories, text and datetimes: the zip featurizes them itself.
        var input = new JsonArray([.. TestRows.Select(r => (JsonNode?)Row(r))]);

        var predictions = _regression.Score(Json(input));

        var rmse = Math.Sqrt(predictions.Zip(TestRows, (p, r) => Math.Pow(p.Score!.Value - r.Demand, 2)).Average());
        Assert.That(rmse, Is.EqualTo(_trainedRmse).Within(1e-3));
    }

    [Test]
    public void ScoreToJson_BinaryWithStringClasses_ReturnsTheClassNameProbabilityAndScore()
    {
        var angry = Row(TestRows.First(r => r.Churned));
        var calm = Row(TestRows.First(r => !r.Churned));

        var results = _binary.ScoreToJson(Json(new JsonArray(angry, calm))).AsArray();

        Assert.That(Keys(results[0]!), Is.EqualTo(new[] { "predictedLabel", "probability", "score" }));
        Assert.That(results.Select(r => r!["predictedLabel"]!.GetValue<string>()), Is.EqualTo(new[] { "yes", "no" }));
        Assert.That(results[0]!["probability"]!.GetValue<double>(), Is.InRange(0.5, 1.0));
        Assert.That(results[1]!["probability"]!.GetValue<double>(), Is.InRange(0.0, 0.5));
        Assert.That(results[0]!["score"]!.GetValue<double>(), Is.GreaterThan(0));
    }

    [Test]
    public void ScoreToJson_BinaryWithoutProbability_HasNullProbabilityAndBooleanLabel()
    {
        var result = _perceptron.ScoreToJson(Json(Row(TestRows.First(r => r.Churned)))).AsObject();

        Assert.That(Keys(result), Is.EqualTo(new[] { "predictedLabel", "probability", "score" }));
        Assert.That(result["probability"], Is.Null);
        Assert.That(result["predictedLabel"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public void ScoreToJson_Multiclass_ReturnsTheClassAndOneScorePerClassInClassOrder()
    {
        var north = Row(TestRows.First(r => r.Segment == "north" && r.Team == "alpha"));
        var busy = Row(TestRows.First(r => r.Segment != "north" && r.Visits > 12 && r.Team == "beta"));

        var results = _multiclass.ScoreToJson(Json(new JsonArray(north, busy))).AsArray();

        Assert.That(Keys(results[0]!), Is.EqualTo(new[] { "predictedLabel", "scores", "classScores" }));
        Assert.That(results.Select(r => r!["predictedLabel"]!.GetValue<string>()), Is.EqualTo(new[] { "alpha", "beta" }));
        Assert.That(_multiclass.Classes, Is.EqualTo(SyntheticData.Teams));
        foreach (var result in results)
        {
            var scores = result!["scores"]!.AsArray().Select(s => s!.GetValue<double>()).ToList();
            Assert.That(scores, Has.Count.EqualTo(3));
            Assert.That(scores.Sum(), Is.EqualTo(1).Within(1e-3));
            Assert.That(SyntheticData.Teams[scores.IndexOf(scores.Max())], Is.EqualTo(result["predictedLabel"]!.GetValue<string>()));
        }
    }

    [Test]
    public async Task ScoreToJson_Multiclass_KeysEachScoreByTheClassNameTheModelWasTrainedWith()
    {
        var row = Row(TestRows.First(r => r.Team == "beta"));
        var version = await _harness.Registry.GetAsync("teams", 1, CancellationToken.None);

        // Without the schema's class list the names still come from the model: the Score column's slot names.
        var fromModel = ModelScorer.Load(_harness.Artifacts.PathOf(version!.ArtifactPath), _multiclass.Schema with { Classes = null }, MlTask.Multiclass);

        foreach (var scorer in new[] { _multiclass, fromModel })
        {
            var result = scorer.ScoreToJson(Json(row));
            var scores = result["scores"]!.AsArray().Select(s => s!.GetValue<double>()).ToList();
            var named = result["classScores"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<double>());
            Assert.Multiple(() =>
            {
                Assert.That(named.Keys, Is.EqualTo(SyntheticData.Teams), "every class by name, in class order");
                Assert.That(named.Values, Is.EqualTo(scores), "the same scores as the array");
                Assert.That(named.MaxBy(p => p.Value).Key, Is.EqualTo(result["predictedLabel"]!.GetValue<string>()));
            });
        }
    }

    [Test]
    public void Score_UnseenCategoryAndMissingOptionalValues_StillScores()
    {
        var input = """{ "visits": 4, "segment": "atlantis", "member": true, "opened": "2024-03-01T10:00:00Z" }""";

        var predictions = _regression.Score(JsonDocument.Parse(input).RootElement);

        Assert.That(predictions.Single().Score, Is.Not.Null);
    }

    [Test]
    public void Score_ArrayInput_ReturnsOnePredictionPerItemInOrder()
    {
        var input = new JsonArray([.. TestRows.Take(5).Select(r => (JsonNode?)Row(r))]);

        var batch = _regression.Score(Json(input));
        var single = TestRows.Take(5).Select(r => _regression.Score(Json(Row(r))).Single()).ToList();

        Assert.That(batch, Is.EqualTo(single));
        Assert.That(_regression.ScoreToJson(Json(new JsonArray())).AsArray(), Is.Empty);
    }

    [Test]
    public void Score_UnknownField_ThrowsNamingItAndTheFieldsTheModelReads()
    {
        var row = Row(TestRows[0]);
        row["tmep"] = 3;

        var error = Assert.Throws<ScoringInputException>(() => _regression.Score(Json(row)));

        Assert.That(error!.Message, Is.EqualTo("tmep: unknown field; the model reads: amount, visits, segment, member, note, opened"));
    }

    [Test]
    public void Score_KnownButUnusedColumns_AreAccepted()
    {
        var row = Row(TestRows[0]);
        row["demand"] = 12.5;
        row["ts"] = "2024-01-01T00:00:00Z";

        Assert.That(_binary.Score(Json(row)), Has.Count.EqualTo(1), "the label, timestamp and unused features may come along, e.g. from logs");
    }

    [Test]
    public void Score_WrongTypesAndMissingRequiredFields_ListsEveryProblemWithItsItem()
    {
        var good = Row(TestRows[0]);
        var bad = Row(TestRows[1]);
        bad["visits"] = "seven";
        bad["member"] = "yes";
        bad.Remove("opened");
        var input = new JsonArray(good, bad, 42);

        var error = Assert.Throws<ScoringInputException>(() => _regression.Score(Json(input)));

        Assert.That(error!.Problems, Is.EqualTo(new[]
        {
            "[1].visits: expected a number, got a string",
            "[1].member: expected true or false, got a string",
            "[1].opened: is required (an ISO 8601 date and time)",
            "[2]: expected an object keyed by column name, got a number",
        }));
    }

    [Test]
    public void Score_MissingNumberWithoutImputation_IsRequired()
    {
        var row = Row(TestRows[0]);
        row["visits"] = null;

        var error = Assert.Throws<ScoringInputException>(() => _binary.Score(Json(row)));

        Assert.That(error!.Message, Is.EqualTo("visits: is required: the pipeline's missing policy for it is 'fail', so the model never saw it missing"));
    }

    [Test]
    public void Score_NotAnObject_ThrowsSayingWhatIsExpected()
    {
        var error = Assert.Throws<ScoringInputException>(() => _regression.Score(JsonDocument.Parse("\"hello\"").RootElement));

        Assert.That(error!.Message, Is.EqualTo("the input must be a JSON object keyed by column name, or an array of such objects, not a string"));
    }

    [Test]
    public async Task Score_FromEightTasksAtOnce_GivesTheSameAnswersAsOneByOne()
    {
        var inputs = TestRows.Select(r => Json(Row(r))).ToList();
        var expected = inputs.Select(i => _multiclass.Score(i).Single()).ToList();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            var mine = new List<(int Index, Prediction Prediction)>();
            for (var round = 0; round < 3; round++)
            {
                // Each worker starts elsewhere, so different rows are in flight at the same time.
                for (var n = 0; n < inputs.Count; n++)
                {
                    var i = (n + (worker * 15)) % inputs.Count;
                    mine.Add((i, _multiclass.Score(inputs[i]).Single()));
                }
            }

            return mine;
        })));

        var mismatches = results.SelectMany(r => r).Count(r => !Same(r.Prediction, expected[r.Index]));
        Assert.That(mismatches, Is.Zero);
        Assert.That(results.Sum(r => r.Count), Is.EqualTo(8 * 3 * TestRows.Count));
    }

    [Test]
    public async Task Score_ArraysAndObjectsFromEightTasksAtOnce_GiveTheSameAnswersAsOneByOne()
    {
        var expected = TestRows.Select(r => _binary.Score(Json(Row(r))).Single()).ToList();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            var mine = new List<(int Index, Prediction Prediction)>();
            for (var n = 0; n + 3 <= TestRows.Count; n += 3)
            {
                // Odd workers send arrays of three, even ones single objects, each starting elsewhere.
                var first = (n + (worker * 15)) % (TestRows.Count - 2);
                if (worker % 2 == 1)
                {
                    var batch = _binary.Score(Json(new JsonArray([.. TestRows.Skip(first).Take(3).Select(r => (JsonNode?)Row(r))])));
                    mine.AddRange(batch.Select((p, i) => (first + i, p)));
                }
                else
                {
                    mine.AddRange(Enumerable.Range(first, 3).Select(i => (i, _binary.Score(Json(Row(TestRows[i]))).Single())));
                }
            }

            return mine;
        })));

        var all = results.SelectMany(r => r).ToList();
        Assert.That(all.Where(r => r.Prediction != expected[r.Index]), Is.Empty);
        Assert.That(all, Has.Count.EqualTo(8 * (TestRows.Count / 3) * 3));
    }

    [Test]
    public void Score_RowWithoutOptionalValuesAfterAFullRow_DoesNotReuseThePreviousRowsValues()
    {
        var sparse = Json(new JsonObject { ["visits"] = 4, ["member"] = true, ["opened"] = "2024-03-01T10:00:00Z" });
        var alone = _regression.Score(sparse).Single();

        foreach (var row in TestRows.Take(10))
        {
            _regression.Score(Json(Row(row)));
            Assert.That(_regression.Score(sparse).Single(), Is.EqualTo(alone));
        }

        Assert.Throws<ScoringInputException>(() => _regression.Score(Json(new JsonArray(Row(TestRows[0]), new JsonObject { ["visits"] = "many" }))));
        Assert.That(_regression.Score(sparse).Single(), Is.EqualTo(alone), "a rejected request leaves nothing behind");
    }

    [Test]
    public void Load_VersionWithoutSchema_ThrowsSayingSo()
    {
        var version = new ModelVersion
        {
            Name = "broken", Version = 3, RunId = "r", StepId = "deploy", PipelineVersion = "v", DataHash = "h",
            ArtifactPath = "nowhere/model.zip", CreatedAt = DateTimeOffset.UnixEpoch,
            Properties = new Dictionary<string, string> { ["task"] = "regression" },
        };

        var error = Assert.Throws<InvalidDataException>(() => ModelScorer.Load(_harness.Artifacts, version));

        Assert.That(error!.Message, Is.EqualTo("model broken v3 has no schema file in the artifact store"));
    }

    private async Task<ModelScorer> DeployAsync(
        string name, MlTask task, string trainer, IReadOnlyList<string>? features = null, string? positive = null, IReadOnlyList<string>? classes = null)
    {
        _harness.NewRun($"run-{name}");
        _harness.Definition = _harness.Definition with
        {
            Spec = _harness.Definition.Spec with
            {
                Steps = [StepHarness.Prep(), StepHarness.Train("train", task, trainer, features: features), StepHarness.Deploy("deploy", "train", name)],
            },
        };
        await _harness.PrepareAsync(SyntheticData.Schema(task, positive, classes), TrainRows, TestRows);
        var trained = await _harness.ExecuteAsync(_harness.NewTrain(), "train");
        var deployed = await _harness.ExecuteAsync(_harness.NewDeploy(), "deploy");
        Assert.That((trained.Status, deployed.Status), Is.EqualTo((StepStatus.Succeeded, StepStatus.Succeeded)), trained.Message + deployed.Message);
        var version = await _harness.Registry.GetAsync(name, 1, CancellationToken.None);
        return ModelScorer.Load(_harness.Artifacts, version!);
    }

    /// <summary>A row as a client would send it: every column the data has, missing amounts as null.</summary>
    private static JsonObject Row(SyntheticRow row) => new()
    {
        ["amount"] = float.IsNaN(row.Amount) ? null : row.Amount,
        ["visits"] = row.Visits,
        ["segment"] = row.Segment,
        ["member"] = row.Member,
        ["note"] = row.Note,
        ["opened"] = row.Opened.ToString("o", CultureInfo.InvariantCulture),
    };

    private static JsonElement Json(JsonNode node) => JsonDocument.Parse(node.ToJsonString()).RootElement;

    private static List<string> Keys(JsonNode node) => [.. node.AsObject().Select(p => p.Key)];

    private static bool Same(Prediction a, Prediction b) =>
        Equals(a.PredictedLabel, b.PredictedLabel) && a.Scores!.SequenceEqual(b.Scores!);
}
