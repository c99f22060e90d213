using MlOpsOrchestrator.ML.Monitoring;
using MlOpsOrchestrator.ML.SampleData;
using MlOpsOrchestrator.ML.Tests.Monitoring.Support;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.ML.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Monitoring;

/// <summary>
/// Performance on labelled rows for classification models: a binary label held as two strings (yes/no) and a
/// multiclass label with a text feature, from the product's churn and ticket generators.
/// </summary>
[TestFixture]
public sealed class MonitorClassificationTests
{
    private static readonly DateTime Start = new(2025, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    [TestCase("customer-churn", "signup_ts", "churned", "binary", "lbfgs_logistic_regression", "auc",
        "churned: { type: categorical, positive: \"yes\" }\n    monthly_charges: { type: float, missing: mean }\n    last_note: { type: text }")]
    [TestCase("ticket-routing", "created_ts", "team", "multiclass", "sdca_maximum_entropy", "micro_accuracy",
        "team: { type: categorical }\n    subject: { type: text }")]
    public async Task ExecuteAsync_ClassificationModelWithoutDrift_MeasuresTheMetricOnTheLabelledRows(
        string generatorName, string timestamp, string label, string task, string trainer, string metric, string schema)
    {
        using var harness = new MonitoringHarness();
        var generator = SampleGenerators.Find(generatorName)!;
        File.WriteAllLines(harness.PathOf("data.csv"), new[] { generator.Header }.Concat(generator.Rows(new SampleSettings { Start = Start, Rows = 2000 })));
        harness.Load(Yaml(timestamp, label, task, trainer, metric, schema));
        await harness.TrainAndDeployAsync();

        var outcome = await harness.MonitorAsync();

        TestContext.Out.WriteLine(outcome.Message);
        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Succeeded), outcome.Message);
        Assert.That(outcome.Monitor().Verdict, Is.EqualTo(MonitorVerdict.Ok), outcome.Message);
        Assert.That(outcome.Message, Does.Contain($"{metric} ").And.Contain(" on 169 labelled rows vs "));
        var recorded = (await harness.Registry.GetAsync("classes", 1, CancellationToken.None))!.Metrics[metric];
        Assert.That(outcome.Metrics[metric], Is.EqualTo(recorded).Within(0.1), "the window is like the test set");
    }

    private static string Yaml(string timestamp, string label, string task, string trainer, string metric, string schema) => $$"""
        version: 1
        name: classes
        data:
          source: { type: csv, path: data.csv }
          timestamp: {{timestamp}}
          label: {{label}}
          schema:
            {{schema}}
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
          - id: deploy
            kind: deploy
            needs: [evaluate]
          - id: monitor
            kind: monitor
            needs: [deploy]
            window: 7d
            performance: { metric: {{metric}}, max_increase: 0.1 }
        """;
}
