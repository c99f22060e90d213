using System.Net;
using MlOpsOrchestrator.Cli.Tests.Hosting;
using NUnit.Framework;
using static MlOpsOrchestrator.Cli.Tests.Api.ApiSetUp;

namespace MlOpsOrchestrator.Cli.Tests.Api;

/// <summary>What escapes an endpoint: a 500 with a generic message and a trace id, the details only in the log.</summary>
public sealed class ErrorHandlingTests
{
    [Test]
    public async Task UnexpectedFailure_Returns500WithoutTheExceptionAndLogsIt()
    {
        var (status, body) = await Serve.GetAsync($"/api/runs/{ServeHarness.ExplodingRunId}");
        Assert.That(status, Is.EqualTo(HttpStatusCode.InternalServerError), body?.ToJsonString());
        var error = body!["error"]!.GetValue<string>();
        Assert.Multiple(() =>
        {
            Assert.That(error, Does.StartWith("internal error").And.Contain("trace id"));
            Assert.That(error, Does.Not.Contain(ExplodingRunStore.Secret));
        });

        var traceId = error[(error.IndexOf("trace id ", StringComparison.Ordinal) + "trace id ".Length)..].TrimEnd(')');
        var logged = await LogFile.WaitForAsync(Serve.Settings.LogsFolder, line => line.Contains(traceId) && line.Contains(ExplodingRunStore.Secret));
        Assert.That(logged, Does.Contain("\"@l\":\"Error\""), "the failure is logged with its exception");
    }

    /// <summary>The same last line behind the dashboard's pages and predict: a 500 naming the trace id, nothing of the exception.</summary>
    [TestCase("GET", "/hangfire/runs/" + ServeHarness.ExplodingRunId)]
    [TestCase("GET", "/hangfire/models/" + ServeHarness.ExplodingRunId)]
    [TestCase("POST", "/api/models/" + ServeHarness.ExplodingRunId + "/predict")]
    public async Task UnexpectedFailureOnDashboardOrPredict_Returns500WithTraceIdOnly(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent("""{ "contract": "monthly" }""", System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await Serve.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError), text);
            Assert.That(text, Does.Contain("internal error").And.Contain("trace id"));
            Assert.That(text, Does.Not.Contain(ExplodingRunStore.Secret));
            Assert.That(text, Does.Not.Contain(" at "), "no stack trace");
        });
    }

    [Test]
    public async Task UnknownRoute_Returns404()
    {
        var (status, _) = await Serve.GetAsync("/api/nothing-here");
        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
