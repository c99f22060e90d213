using System.Net;
using Microsoft.Extensions.DependencyInjection;
using MlOpsOrchestrator.Cli.Tests.Hosting;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;
using static MlOpsOrchestrator.Cli.Tests.Api.ApiSetUp;

namespace MlOpsOrchestrator.Cli.Tests.Api;

/// <summary><c>POST /api/pipelines/{name}/runs</c>, <c>GET /api/runs/{id}</c> and the approve/reject decisions, on the real host.</summary>
public sealed class RunsApiTests
{
    [Test]
    public async Task StartRun_ThenApprove_RunStopsAtDeployAndSucceedsAfterApproval()
    {
        var story = await ApprovedRunAsync();
        Assert.Multiple(() =>
        {
            Assert.That(story.Started["trigger"]!.GetValue<string>(), Is.EqualTo("api"));
            Assert.That(story.Started["mode"]!.GetValue<string>(), Is.EqualTo("full"));
            Assert.That(story.Started["status"]!.GetValue<string>(), Is.EqualTo("pending"));
            Assert.That(story.Started["steps"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()), Is.EqualTo(new[] { "prep", "train", "evaluate", "deploy" }));
            Assert.That(story.Waiting["status"]!.GetValue<string>(), Is.EqualTo("awaiting_approval"), story.Waiting.ToJsonString());
            Assert.That(story.Waiting["steps"]![3]!["status"]!.GetValue<string>(), Is.EqualTo("awaiting_approval"));
            Assert.That(story.ApproveStatus, Is.EqualTo(HttpStatusCode.Accepted), story.Approved?.ToJsonString());
            Assert.That(story.Final?["status"]!.GetValue<string>(), Is.EqualTo("succeeded"), story.Final?.ToJsonString());
            Assert.That(story.Final?["steps"]![3]!["decidedBy"]!.GetValue<string>(), Is.EqualTo("local (127.0.0.1, api) for alice"), "the caller as the access rule knows it; the body's name only annotates");
            Assert.That(story.Final?["model"]!["version"]!.GetValue<int>(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task StartRun_Params_RecordedWithTheRunAsText()
    {
        var story = await ApprovedRunAsync();
        var run = await Serve.Services.GetRequiredService<IRunRepository>().GetAsync(story.RunId, CancellationToken.None);
        Assert.That(run!.Parameters, Is.EqualTo(new Dictionary<string, string> { ["reason"] = "api test", ["sample"] = "600" }));
    }

    [Test]
    public async Task GetRun_StartedWithParams_ShowsThem()
    {
        var story = await ApprovedRunAsync();
        var (status, run) = await Serve.GetAsync($"/api/runs/{story.RunId}");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(run!["parameters"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()), Is.EqualTo(new Dictionary<string, string> { ["reason"] = "api test", ["sample"] = "600" }));
    }

    [Test]
    public async Task GetRun_Known_ReturnsTheRunAsShowJsonDoes()
    {
        var story = await ApprovedRunAsync();
        var (status, run) = await Serve.GetAsync($"/api/runs/{story.RunId}");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.Multiple(() =>
        {
            Assert.That(run!["runId"]!.GetValue<string>(), Is.EqualTo(story.RunId));
            Assert.That(run["pipeline"]!.GetValue<string>(), Is.EqualTo(ServeHarness.Pipeline));
            Assert.That(run["levelReasons"]!.AsArray(), Is.Not.Empty, "a manual deploy holds the level down, and says why");
            Assert.That(run["steps"]![2]!["metrics"]!["auc"]!.GetValue<double>(), Is.GreaterThan(0.7));
        });
    }

    [Test]
    public async Task Approve_StepNoLongerWaiting_Returns409()
    {
        var story = await ApprovedRunAsync();
        var (status, body) = await Serve.PostAsync($"/api/runs/{story.RunId}/steps/deploy/approve", null);
        Assert.That(status, Is.EqualTo(HttpStatusCode.Conflict), body?.ToJsonString());
        Assert.That(body!["error"]!.GetValue<string>(), Does.Contain("not awaiting approval"));
    }

    [Test]
    public async Task Reject_WithReason_CancelsTheRun()
    {
        var runId = await Serve.RunToApprovalAsync();
        var (status, body) = await Serve.PostAsync($"/api/runs/{runId}/steps/deploy/reject", """{ "reason": "AUC looks too good", "by": "bob" }""");
        Assert.That(status, Is.EqualTo(HttpStatusCode.Accepted), body?.ToJsonString());
        var final = await Serve.WaitForRunAsync(runId, "cancelled", "succeeded", "failed");
        Assert.Multiple(() =>
        {
            Assert.That(final["status"]!.GetValue<string>(), Is.EqualTo("cancelled"));
            Assert.That(final["error"]!.GetValue<string>(), Does.Contain("AUC looks too good"));
            Assert.That(final["steps"]![3]!["reason"]!.GetValue<string>(), Is.EqualTo("AUC looks too good"));
            Assert.That(final["steps"]![3]!["decidedBy"]!.GetValue<string>(), Is.EqualTo("local (127.0.0.1, api) for bob"));
            Assert.That(final["model"], Is.Null);
        });
    }

    [Test]
    public async Task Reject_WithApiToken_RecordsTheTokenAndAddressNotTheBodysName()
    {
        var runId = await Serve.RunToApprovalAsync();
        var (status, body) = await Serve.PostAsync($"/api/runs/{runId}/steps/deploy/reject", """{ "reason": "checking who is recorded" }""", remoteToken: ServeHarness.ApiToken);
        Assert.That(status, Is.EqualTo(HttpStatusCode.Accepted), body?.ToJsonString());
        var final = await Serve.WaitForRunAsync(runId, "cancelled", "succeeded", "failed");
        Assert.That(final["steps"]![3]!["decidedBy"]!.GetValue<string>(), Is.EqualTo($"token ({ServeHarness.RemoteAddress}, api)"));
    }

    [TestCase(null, "needs a reason")]
    [TestCase("{}", "needs a reason")]
    [TestCase("""{ "reason": "  " }""", "needs a reason")]
    [TestCase("""{ "reason": 3 }""", "'reason' must be a string")]
    [TestCase("""{ "why": "x" }""", "unknown field(s) 'why'")]
    public async Task Reject_WithoutUsableReason_Returns400(string? body, string message)
    {
        var (status, answer) = await Serve.PostAsync("/api/runs/whatever/steps/deploy/reject", body);
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), answer?.ToJsonString());
        Assert.That(answer!["error"]!.GetValue<string>(), Does.Contain(message));
    }

    [Test]
    public async Task Approve_UnknownRun_Returns404()
    {
        var (status, body) = await Serve.PostAsync("/api/runs/no-such-run/steps/deploy/approve", null);
        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound), body?.ToJsonString());
        Assert.That(body!["error"]!.GetValue<string>(), Does.Contain("unknown run 'no-such-run'"));
    }

    [Test]
    public async Task Approve_UnknownStep_Returns404ListingTheSteps()
    {
        var story = await ApprovedRunAsync();
        var (status, body) = await Serve.PostAsync($"/api/runs/{story.RunId}/steps/deploi/approve", null);
        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound), body?.ToJsonString());
        Assert.That(body!["error"]!.GetValue<string>(), Does.Contain("no step 'deploi'").And.Contain("deploy"));
    }

    [Test]
    public async Task GetRun_Unknown_Returns404()
    {
        var (status, body) = await Serve.GetAsync("/api/runs/churn-api-20000101-000000-0000");
        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(body!["error"]!.GetValue<string>(), Does.Contain("unknown run"));
    }

    [Test]
    public async Task ListRuns_NewestFirstWithoutSteps()
    {
        var story = await ApprovedRunAsync();
        var (status, body) = await Serve.GetAsync($"/api/runs?pipeline={ServeHarness.Pipeline}&limit=50");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        var runs = body!.AsArray();
        Assert.That(runs.Select(r => r!["runId"]!.GetValue<string>()), Does.Contain(story.RunId));
        Assert.That(runs.Select(r => r!["steps"]), Is.All.Null);
    }

    [Test]
    public async Task ListRuns_StatusFilter_ReturnsOnlyRunsInThatStatus()
    {
        var story = await ApprovedRunAsync();
        var (failedStatus, failed) = await Serve.GetAsync("/api/runs?status=failed&limit=500");
        var (succeededStatus, succeeded) = await Serve.GetAsync("/api/runs?status=succeeded&limit=500");
        Assert.That(failedStatus, Is.EqualTo(HttpStatusCode.OK), failed?.ToJsonString());
        Assert.That(succeededStatus, Is.EqualTo(HttpStatusCode.OK), succeeded?.ToJsonString());
        Assert.Multiple(() =>
        {
            Assert.That(failed!.AsArray().Select(r => r!["status"]!.GetValue<string>()), Is.All.EqualTo("failed"));
            Assert.That(failed.AsArray().Select(r => r!["runId"]!.GetValue<string>()), Does.Not.Contain(story.RunId));
            Assert.That(succeeded!.AsArray().Select(r => r!["status"]!.GetValue<string>()), Is.All.EqualTo("succeeded"));
            Assert.That(succeeded.AsArray().Select(r => r!["runId"]!.GetValue<string>()), Does.Contain(story.RunId));
        });
    }

    [Test]
    public async Task ListRuns_TriggerAndPipelineFilters_ReturnOnlyMatchingRuns()
    {
        var story = await ApprovedRunAsync();
        var (status, api) = await Serve.GetAsync($"/api/runs?pipeline={ServeHarness.Pipeline}&trigger=api&limit=500");
        var (_, yearly) = await Serve.GetAsync($"/api/runs?pipeline={ServeHarness.Pipeline}&trigger=new-year&limit=500");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), api?.ToJsonString());
        Assert.Multiple(() =>
        {
            Assert.That(api!.AsArray().Select(r => r!["trigger"]!.GetValue<string>()), Is.All.EqualTo("api"));
            Assert.That(api.AsArray().Select(r => r!["pipeline"]!.GetValue<string>()), Is.All.EqualTo(ServeHarness.Pipeline));
            Assert.That(api.AsArray().Select(r => r!["runId"]!.GetValue<string>()), Does.Contain(story.RunId));
            Assert.That(yearly!.AsArray().Select(r => r!["runId"]!.GetValue<string>()), Does.Not.Contain(story.RunId));
        });
    }

    [TestCase("status=broken")]
    [TestCase("status=FAILED%20")]
    public async Task ListRuns_UnknownStatus_Returns400NamingTheFieldAndTheAcceptedValues(string query)
    {
        var (status, body) = await Serve.GetAsync($"/api/runs?{query}");
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), body?.ToJsonString());
        Assert.That(body!["error"]!.GetValue<string>(), Does.Contain("'status'").And.Contain("pending, running, succeeded, failed, awaiting_approval, cancelled, interrupted"));
    }

    [TestCase("""{ "mode": "full" """, "not valid JSON")]
    [TestCase("[1, 2]", "must be a JSON object")]
    [TestCase("""{ "mode": "sometimes" }""", "unknown mode 'sometimes'")]
    [TestCase("""{ "mode": 1 }""", "'mode' must be a string")]
    [TestCase("""{ "params": [1] }""", "'params' must be an object")]
    [TestCase("""{ "params": { "k": { "nested": true } } }""", "parameter 'k' must be a string, number or boolean")]
    [TestCase("""{ "parameters": {} }""", "unknown field(s) 'parameters'")]
    public async Task StartRun_BadBody_Returns400SayingWhy(string body, string message)
    {
        var (status, answer) = await Serve.PostAsync($"/api/pipelines/{ServeHarness.Pipeline}/runs", body);
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), answer?.ToJsonString());
        Assert.That(answer!["error"]!.GetValue<string>(), Does.Contain(message));
    }

    [Test]
    public async Task StartRun_UnknownPipeline_Returns404NamingTheKnownOnes()
    {
        var (status, body) = await Serve.PostAsync("/api/pipelines/churn-apj/runs", "{}");
        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(body!["error"]!.GetValue<string>(), Does.Contain("no pipeline named 'churn-apj'").And.Contain(ServeHarness.Pipeline));
    }
}
