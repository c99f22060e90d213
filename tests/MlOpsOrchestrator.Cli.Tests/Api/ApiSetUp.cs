using System.Net;
using System.Text.Json.Nodes;
using MlOpsOrchestrator.Cli.Tests.Hosting;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Api;

/// <summary>
/// One real <c>serve</c> host for the API tests of this namespace, started once and stopped at the end, and the one
/// run that every model test relies on: started through the API, approved through the API, deployed as version 1.
/// </summary>
[SetUpFixture]
public sealed class ApiSetUp
{
    private static ServeHarness? _serve;
    private static readonly Lazy<Task<ApprovedRun>> Approved = new(() => ApproveOneRunAsync(Serve));

    internal static ServeHarness Serve => _serve ?? throw new InvalidOperationException("the API host is started by ApiSetUp");

    /// <summary>The story of the first deployed run, told once however many tests ask for it.</summary>
    internal static Task<ApprovedRun> ApprovedRunAsync() => Approved.Value;

    [OneTimeSetUp]
    public async Task StartHost()
    {
        _serve = await ServeHarness.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopHost()
    {
        if (_serve is not null)
        {
            await _serve.DisposeAsync();
            _serve = null;
        }
    }

    private static async Task<ApprovedRun> ApproveOneRunAsync(ServeHarness serve)
    {
        var (startStatus, started) = await serve.PostAsync($"/api/pipelines/{ServeHarness.Pipeline}/runs", """{ "mode": "full", "params": { "reason": "api test", "sample": 600 } }""");
        Assert.That(startStatus, Is.EqualTo(HttpStatusCode.Accepted), started?.ToJsonString());
        var runId = started!["runId"]!.GetValue<string>();
        var waiting = await serve.WaitForRunAsync(runId, "awaiting_approval", "failed", "succeeded");
        var (approveStatus, approved) = await serve.PostAsync($"/api/runs/{runId}/steps/deploy/approve", """{ "by": "alice" }""");
        var final = approveStatus == HttpStatusCode.Accepted ? await serve.WaitForRunAsync(runId, "succeeded", "failed", "cancelled") : null;
        return new ApprovedRun(runId, started, waiting, approveStatus, approved, final);
    }
}

/// <summary>What the API answered at each point of one run's life: start, stop at the manual step, approval, end.</summary>
internal sealed record ApprovedRun(string RunId, JsonNode Started, JsonNode Waiting, HttpStatusCode ApproveStatus, JsonNode? Approved, JsonNode? Final);
