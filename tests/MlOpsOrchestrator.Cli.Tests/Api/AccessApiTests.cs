using System.Net;
using MlOpsOrchestrator.Cli.Tests.Hosting;
using NUnit.Framework;
using static MlOpsOrchestrator.Cli.Tests.Api.ApiSetUp;

namespace MlOpsOrchestrator.Cli.Tests.Api;

/// <summary>
/// The one authorization rule on the API and <c>/health</c>: the machine itself may do anything; a request from
/// elsewhere (simulated: the connection's remote address is rewritten, nothing leaves loopback) needs a token, and
/// the viewer token may only read.
/// </summary>
public sealed class AccessApiTests
{
    [TestCase("/api/pipelines")]
    [TestCase("/health")]
    public async Task Remote_NoToken_Returns401WithAChallenge(string path)
    {
        var answer = await Serve.GetAsync(path, remote: true);
        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.Unauthorized), answer.Body?.ToJsonString());
        Assert.That(answer.Headers["WWW-Authenticate"], Does.StartWith("Bearer"));
        Assert.That(answer.Body!["error"]!.GetValue<string>(), Does.Contain("MLOPS_API_TOKEN"));
    }

    [Test]
    public async Task Remote_WrongToken_Returns401()
    {
        var (status, _) = await Serve.GetAsync("/api/pipelines", remoteToken: "guess");
        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Remote_ViewerToken_MayReadButNotAct()
    {
        var (read, pipelines) = await Serve.GetAsync("/api/pipelines", remoteToken: ServeHarness.ViewerToken);
        var (act, refusal) = await Serve.PostAsync($"/api/pipelines/{ServeHarness.Pipeline}/runs", "{}", remoteToken: ServeHarness.ViewerToken);
        Assert.Multiple(() =>
        {
            Assert.That(read, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(pipelines!.AsArray(), Is.Not.Empty);
            Assert.That(act, Is.EqualTo(HttpStatusCode.Forbidden), refusal?.ToJsonString());
            Assert.That(refusal!["error"]!.GetValue<string>(), Does.Contain("may only read"));
        });
    }

    [Test]
    public async Task Remote_ApiToken_MayStartARun()
    {
        var (status, run) = await Serve.PostAsync($"/api/pipelines/{ServeHarness.Pipeline}/runs", """{ "mode": "full" }""", remoteToken: ServeHarness.ApiToken);
        Assert.That(status, Is.EqualTo(HttpStatusCode.Accepted), run?.ToJsonString());

        // Leave nothing running behind: the run stops at the manual deploy, and is rejected there.
        var runId = run!["runId"]!.GetValue<string>();
        await Serve.WaitForRunAsync(runId, "awaiting_approval", "failed");
        var (rejected, _) = await Serve.PostAsync($"/api/runs/{runId}/steps/deploy/reject", """{ "reason": "only checking access" }""", remoteToken: ServeHarness.ApiToken);
        Assert.That(rejected, Is.EqualTo(HttpStatusCode.Accepted));
    }

    [Test]
    public async Task Loopback_NoToken_MayDoAnything()
    {
        var (read, _) = await Serve.GetAsync("/api/pipelines");
        var (act, body) = await Serve.PostAsync("/api/runs/no-such-run/steps/deploy/approve", null);
        Assert.That(read, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(act, Is.EqualTo(HttpStatusCode.NotFound), "past authorization, the run is simply unknown: " + body?.ToJsonString());
    }
}
