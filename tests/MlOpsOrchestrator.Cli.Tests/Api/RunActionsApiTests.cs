using System.Net;
using MlOpsOrchestrator.Cli.Tests.Hosting;
using NUnit.Framework;
using static MlOpsOrchestrator.Cli.Tests.Api.ApiSetUp;

namespace MlOpsOrchestrator.Cli.Tests.Api;

/// <summary>
/// Run now as a trigger, cancel, retry and resume through the API, on the real host: the same rules as the CLI's, who
/// asked recorded as the access rule established it, and errors that name what is wrong.
/// </summary>
public sealed class RunActionsApiTests
{
    private const string Local = "local (127.0.0.1, api)";

    [Test]
    public async Task StartRun_WithATrigger_RunsAsThatTrigger_RecordsWhoAsked()
    {
        var (status, started) = await Serve.PostAsync($"/api/pipelines/{ServeHarness.Pipeline}/runs", """{ "trigger": "new-year", "params": { "why": "on-call check" } }""");
        Assert.That(status, Is.EqualTo(HttpStatusCode.Accepted), started?.ToJsonString());
        var runId = started!["runId"]!.GetValue<string>();
        await Serve.WaitForRunAsync(runId, "awaiting_approval", "failed", "succeeded");
        await Serve.PostAsync($"/api/runs/{runId}/cancel", null); // leave nothing waiting for the other tests

        Assert.Multiple(() =>
        {
            Assert.That(started["trigger"]!.GetValue<string>(), Is.EqualTo("new-year"));
            Assert.That(started["requestedBy"]!.GetValue<string>(), Is.EqualTo(Local));
        });
    }

    [TestCase("""{ "trigger": "on-drift" }""", HttpStatusCode.BadRequest, "has no trigger 'on-drift'; its triggers: new-year")]
    [TestCase("""{ "trigger": 5 }""", HttpStatusCode.BadRequest, "'trigger' must be a string")]
    [TestCase("""{ "trigger": "a b" }""", HttpStatusCode.BadRequest, "'trigger' ")]
    public async Task StartRun_WithABadTrigger_Returns400NamingIt(string body, HttpStatusCode expected, string message)
    {
        var (status, answer) = await Serve.PostAsync($"/api/pipelines/{ServeHarness.Pipeline}/runs", body);
        Assert.That(status, Is.EqualTo(expected), answer?.ToJsonString());
        Assert.That(answer!["error"]!.GetValue<string>(), Does.Contain(message));
    }

    [Test]
    public async Task Cancel_AWaitingRun_EndsItCancelledWithWhoAndWhy_ThenRetryCarriesTheFinishedStepsOver_ResumeIsRefused()
    {
        var runId = await Serve.RunToApprovalAsync();

        var (status, cancelled) = await Serve.PostAsync($"/api/runs/{runId}/cancel", """{ "reason": "data looks off", "by": "carol" }""");
        Assert.That(status, Is.EqualTo(HttpStatusCode.Accepted), cancelled?.ToJsonString());
        Assert.Multiple(() =>
        {
            Assert.That(cancelled!["status"]!.GetValue<string>(), Is.EqualTo("cancelled"), "nobody executes a waiting run: it ends at once");
            Assert.That(cancelled["error"]!.GetValue<string>(), Is.EqualTo($"cancelled by {Local} for carol: data looks off"));
            Assert.That(cancelled["cancelRequest"]!["by"]!.GetValue<string>(), Is.EqualTo($"{Local} for carol"));
            Assert.That(cancelled["steps"]![3]!["status"]!.GetValue<string>(), Is.EqualTo("skipped"));
        });

        var (again, againBody) = await Serve.PostAsync($"/api/runs/{runId}/cancel", null);
        var (resume, resumeBody) = await Serve.PostAsync($"/api/runs/{runId}/resume", null);
        Assert.Multiple(() =>
        {
            Assert.That(again, Is.EqualTo(HttpStatusCode.Conflict), againBody?.ToJsonString());
            Assert.That(againBody!["error"]!.GetValue<string>(), Does.Contain("has already ended cancelled"));
            Assert.That(resume, Is.EqualTo(HttpStatusCode.Conflict), resumeBody?.ToJsonString());
        });

        var (retryStatus, retry) = await Serve.PostAsync($"/api/runs/{runId}/retry", """{ "by": "dave" }""");
        Assert.That(retryStatus, Is.EqualTo(HttpStatusCode.Accepted), retry?.ToJsonString());
        var retryId = retry!["runId"]!.GetValue<string>();
        var waiting = await Serve.WaitForRunAsync(retryId, "awaiting_approval", "failed", "succeeded");
        await Serve.PostAsync($"/api/runs/{retryId}/cancel", null);
        Assert.Multiple(() =>
        {
            Assert.That(retryId, Is.Not.EqualTo(runId));
            Assert.That(retry["retryOf"]!.GetValue<string>(), Is.EqualTo(runId));
            Assert.That(retry["requestedBy"]!.GetValue<string>(), Is.EqualTo($"{Local} for dave"));
            Assert.That(waiting["status"]!.GetValue<string>(), Is.EqualTo("awaiting_approval"), waiting.ToJsonString());
            Assert.That(waiting["steps"]![1]!["finishedAt"]!.GetValue<DateTimeOffset>(), Is.EqualTo(cancelled!["steps"]![1]!["finishedAt"]!.GetValue<DateTimeOffset>()), "train was carried over, not run again");
            Assert.That(waiting["steps"]![1]!["attempts"]!.GetValue<int>(), Is.EqualTo(1));
        });
    }

    [TestCase("cancel")]
    [TestCase("resume")]
    [TestCase("retry")]
    public async Task Action_UnknownRun_Returns404(string action)
    {
        var (status, body) = await Serve.PostAsync($"/api/runs/no-such-run/{action}", null);
        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound), body?.ToJsonString());
        Assert.That(body!["error"]!.GetValue<string>(), Does.Contain("unknown run 'no-such-run'"));
    }

    [TestCase("cancel", """{ "why": "x" }""", "unknown field(s) 'why'")]
    [TestCase("cancel", """{ "reason": 3 }""", "'reason' must be a string")]
    [TestCase("retry", """{ "reason": "x" }""", "unknown field(s) 'reason'")]
    [TestCase("resume", """{ "by": 1 }""", "'by' must be a string")]
    public async Task Action_BadBody_Returns400NamingTheField(string action, string body, string message)
    {
        var story = await ApprovedRunAsync();
        var (status, answer) = await Serve.PostAsync($"/api/runs/{story.RunId}/{action}", body);
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), answer?.ToJsonString());
        Assert.That(answer!["error"]!.GetValue<string>(), Does.Contain(message));
    }

    [Test]
    public async Task Cancel_WithTheViewerToken_IsForbidden()
    {
        var story = await ApprovedRunAsync();
        var (status, _) = await Serve.PostAsync($"/api/runs/{story.RunId}/cancel", null, remoteToken: ServeHarness.ViewerToken);
        Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Cancel_WithANamedToken_RecordsTheTokensName_ANamedViewerTokenIsForbidden()
    {
        var (started, run) = await Serve.PostAsync($"/api/pipelines/{ServeHarness.Pipeline}/runs", null, remoteToken: ServeHarness.NamedApiToken);
        Assert.That(started, Is.EqualTo(HttpStatusCode.Accepted), run?.ToJsonString());
        var runId = run!["runId"]!.GetValue<string>();
        var (viewer, _) = await Serve.PostAsync($"/api/runs/{runId}/cancel", null, remoteToken: ServeHarness.NamedViewerToken);
        var (status, cancelled) = await Serve.PostAsync($"/api/runs/{runId}/cancel", """{ "reason": "not now" }""", remoteToken: ServeHarness.NamedApiToken);
        Assert.That(status, Is.EqualTo(HttpStatusCode.Accepted), cancelled?.ToJsonString());
        var final = await Serve.WaitForRunAsync(runId, "cancelled", "succeeded", "failed");

        var who = $"{ServeHarness.NamedUser} (token, {ServeHarness.RemoteAddress}, api)";
        Assert.Multiple(() =>
        {
            Assert.That(viewer, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(run["requestedBy"]!.GetValue<string>(), Is.EqualTo(who));
            Assert.That(final["status"]!.GetValue<string>(), Is.EqualTo("cancelled"), final.ToJsonString());
            Assert.That(final["cancelRequest"]!["by"]!.GetValue<string>(), Is.EqualTo(who));
            Assert.That(final["error"]!.GetValue<string>(), Is.EqualTo($"cancelled by {who}: not now"));
        });
    }
}
