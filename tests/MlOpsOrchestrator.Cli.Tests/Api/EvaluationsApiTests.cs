using System.Net;
using NUnit.Framework;
using static MlOpsOrchestrator.Cli.Tests.Api.ApiSetUp;

namespace MlOpsOrchestrator.Cli.Tests.Api;

/// <summary><c>GET /api/models/{name}/evaluations</c> after a run deployed through the API: the run's own numbers, and the refusals.</summary>
public sealed class EvaluationsApiTests
{
    private const string Model = "churn-api";

    [Test]
    public async Task Evaluations_AfterTheDeployedRun_HoldTheStepsNumbersUnderVersion1()
    {
        var story = await ApprovedRunAsync();
        var (runStatus, run) = await Serve.GetAsync($"/api/runs/{story.RunId}");
        Assert.That(runStatus, Is.EqualTo(HttpStatusCode.OK));
        var evaluateMetrics = run!["steps"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == "evaluate")!["metrics"]!.AsObject();

        var (status, body) = await Serve.GetAsync($"/api/models/{Model}/evaluations?version=1");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body?.ToJsonString());
        var rows = body!["evaluations"]!.AsArray().Select(r => r!).Where(r => r["runId"]!.GetValue<string>() == story.RunId).ToList();
        var overall = rows.Where(r => r["stepId"]!.GetValue<string>() == "evaluate" && r["slice"]!.GetValue<string>() == "*" && r["role"]!.GetValue<string>() == "candidate").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(body["model"]!.GetValue<string>(), Is.EqualTo(Model));
            Assert.That(body["version"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(body["evaluations"]!.AsArray().Select(r => r!["version"]!.GetValue<int>()), Is.All.EqualTo(1));
            Assert.That(overall, Is.Not.Empty);
            foreach (var row in overall)
            {
                var metric = row["metric"]!.GetValue<string>();
                Assert.That(row["value"]!.GetValue<double>(), Is.EqualTo(evaluateMetrics[metric]!.GetValue<double>()), metric);
            }

            var steps = rows.Select(r => r["stepId"]!.GetValue<string>()).Distinct().ToList();
            Assert.That(steps, Has.Member("evaluate").And.Count.GreaterThanOrEqualTo(2), "the train step's numbers too");
        });
    }

    [TestCase("/api/models/no-such-model/evaluations", HttpStatusCode.NotFound, "unknown model 'no-such-model'")]
    [TestCase($"/api/models/{Model}/evaluations?version=99", HttpStatusCode.NotFound, $"model '{Model}' has no version 99")]
    [TestCase($"/api/models/{Model}/evaluations?version=abc", HttpStatusCode.BadRequest, "'version': 'abc' is not a version")]
    [TestCase($"/api/models/{Model}/evaluations?version=0", HttpStatusCode.BadRequest, "'version': '0' is not a version")]
    [TestCase($"/api/models/{Model}/evaluations?slice=", HttpStatusCode.BadRequest, "the slice column is empty")]
    [TestCase($"/api/models/{Model}/evaluations?versoin=1", HttpStatusCode.BadRequest, "unknown query parameter 'versoin'")]
    public async Task Evaluations_BadQuery_RefusedWithTheReason(string path, HttpStatusCode expected, string message)
    {
        await ApprovedRunAsync();

        var (status, body) = await Serve.GetAsync(path);

        Assert.That(status, Is.EqualTo(expected), body?.ToJsonString());
        Assert.That(body!["error"]!.GetValue<string>(), Does.StartWith(message));
    }
}
