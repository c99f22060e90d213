using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.ML.Serving;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.ML.Steps.DataPrep;
using MlOpsOrchestrator.ML.Tests.Steps.Support;
using MlOpsOrchestrator.ML.Trainers;
using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Runs;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Steps;

/// <summary>
/// A CSV file and a pipeline YAML through the real loader, the real data_prep step and the ML steps, to a registered
/// model that scores raw JSON: proves the prepared-data contract holds between the two halves.
/// </summary>
[TestFixture]
public sealed class PipelineEndToEndTests
{
    [TestCase("demand", "regression", "sdca", "fast_tree", "r_squared: { min: 0.8 }")]
    [TestCase("churned", "binary", "lbfgs_logistic_regression", "fast_tree", "auc: { min: 0.85 }")]
    [TestCase("team", "multiclass", "sdca_maximum_entropy", "light_gbm", "micro_accuracy: { min: 0.8 }")]
    public async Task Run_CsvToServedModel_EveryStepSucceedsAndTheModelScoresRawRows(
        string label, string task, string first, string second, string gate)
    {
        using var data = new DataFolder();
        var rows = SyntheticData.Rows(500, seed: 41);
        data.Write("rows.csv", Csv(rows));
        using var harness = new StepHarness("unused") { Definition = Load(data.Root, Yaml(label, task, first, second, gate)) };

        var outcomes = new List<(string Step, Execution.StepOutcome Outcome)>();
        foreach (var (step, executor) in new (string, Execution.IStepExecutor)[]
        {
            ("prep", harness.NewDataPrep(TestSources.BuiltIn)), ("first", harness.NewTrain()), ("second", harness.NewTrain()),
            ("evaluate", harness.NewEvaluate()), ("deploy", harness.NewDeploy()),
        })
        {
            outcomes.Add((step, await harness.ExecuteAsync(executor, step)));
        }

        Assert.That(outcomes.Select(o => $"{o.Step}: {o.Outcome.Status} {(o.Outcome.Status == StepStatus.Succeeded ? "" : o.Outcome.Message)}"),
            Has.All.Contains(": Succeeded "));
        var version = (await harness.Registry.GetAsync("e2e", 1, CancellationToken.None))!;
        var scorer = ModelScorer.Load(harness.Artifacts, version);
        var input = JsonDocument.Parse(new JsonArray([.. rows.Take(20).Select(r => (JsonNode?)Row(r))]).ToJsonString()).RootElement;
        var predictions = scorer.Score(input);
        Assert.That(predictions, Has.Count.EqualTo(20));
        switch (task)
        {
            case "regression":
                Assert.That(predictions.Zip(rows).Count(p => Math.Abs(p.First.Score!.Value - p.Second.Demand) < 30), Is.GreaterThanOrEqualTo(16));
                break;
            case "binary":
                // A binary label held as two strings comes back in the data's own words.
                Assert.That(predictions.Select(p => p.PredictedLabel), Has.All.AnyOf("yes", "no"));
                Assert.That(predictions.Zip(rows).Count(p => (string)p.First.PredictedLabel! == (p.Second.Churned ? "yes" : "no")), Is.GreaterThanOrEqualTo(16));
                break;
            default:
                Assert.That(predictions.Zip(rows).Count(p => (string)p.First.PredictedLabel! == p.Second.Team), Is.GreaterThanOrEqualTo(16));
                Assert.That(scorer.Classes, Is.EquivalentTo(SyntheticData.Teams));
                break;
        }
    }

    private static string Yaml(string label, string task, string first, string second, string gate) => $$"""
        version: 1
        name: e2e
        data:
          source: { type: csv, path: rows.csv }
          timestamp: ts
          label: {{label}}
          schema:
            amount: { type: float, missing: mean }
            visits: { type: int }
            segment: { type: categorical }
            member: { type: boolean }
            note: { type: text }
            opened: { type: datetime }
            ts: { type: datetime }
            churned: { type: {{(label == "churned" ? "categorical, positive: \"yes\"" : "ignore")}} }
            team: { type: {{(label == "team" ? "categorical" : "ignore")}} }
            demand: { type: {{(label == "demand" ? "float" : "ignore")}} }
        steps:
          - id: prep
            kind: data_prep
          - id: first
            kind: train
            needs: [prep]
            task: {{task}}
            trainer: {{first}}
          - id: second
            kind: train
            needs: [prep]
            task: {{task}}
            trainer: {{second}}
          - id: evaluate
            kind: evaluate
            needs: [first, second]
            gates:
              {{gate}}
          - id: deploy
            kind: deploy
            needs: [evaluate]
        """;

    private static Planning.PipelineDefinition Load(string dataRoot, string yaml)
    {
        var loader = new PipelineLoader(new PipelineLoaderOptions { DataRoot = dataRoot, Environment = _ => null }, MlNetTrainerCatalog.Default, new NoCron());
        var result = loader.Parse(yaml, Path.Combine(dataRoot, "e2e.yaml"), "e2e.yaml");
        Assert.That(result.Errors, Is.Empty, string.Join("\n", result.Errors));
        return result.Definition!;
    }

    private static string Csv(IEnumerable<SyntheticRow> rows)
    {
        var text = new StringBuilder("amount,visits,segment,member,note,opened,ts,churned,team,demand\n");
        foreach (var r in rows)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{(float.IsNaN(r.Amount) ? "" : r.Amount.ToString("R", CultureInfo.InvariantCulture))},{r.Visits},{r.Segment},{(r.Member ? "true" : "false")},"
                + $"{r.Note},{Time(r.Opened)},{Time(r.Ts)},{(r.Churned ? "yes" : "no")},{r.Team},{r.Demand.ToString("R", CultureInfo.InvariantCulture)}\n");
        }

        return text.ToString();
    }

    private static string Time(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static JsonObject Row(SyntheticRow row) => new()
    {
        ["amount"] = float.IsNaN(row.Amount) ? null : row.Amount,
        ["visits"] = row.Visits,
        ["segment"] = row.Segment,
        ["member"] = row.Member,
        ["note"] = row.Note,
        ["opened"] = Time(row.Opened),
    };

    private sealed class DataFolder : IDisposable
    {
        public string Root { get; } = Directory.CreateTempSubdirectory("mlops-ml-e2e-").FullName;

        public string Write(string name, string content)
        {
            var path = Path.Combine(Root, name);
            File.WriteAllText(path, content);
            return path;
        }

        public void Dispose() => Directory.Delete(Root, recursive: true);
    }
}
