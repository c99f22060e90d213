using System.Net;
using System.Net.Http.Headers;
using MlOpsOrchestrator.Cli.Tests.Hosting;
using NUnit.Framework;
using static MlOpsOrchestrator.Cli.Tests.Api.ApiSetUp;

namespace MlOpsOrchestrator.Cli.Tests.Api;

/// <summary>
/// <c>/metrics</c> follows the API's access rule: a scraper on another machine needs a token, and the viewer token
/// (read-only) is enough, as Prometheus's <c>authorization</c> setting sends it.
/// </summary>
public sealed class MetricsAccessTests
{
    [Test]
    public async Task Remote_NoToken_Returns401()
    {
        var answer = await ScrapeAsync(token: null);
        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.Unauthorized), answer.Text);
    }

    [Test]
    public async Task Remote_ViewerToken_ReadsPrometheusText()
    {
        var answer = await ScrapeAsync(ServeHarness.ViewerToken);
        Assert.Multiple(() =>
        {
            Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK), answer.Text);
            Assert.That(answer.Headers["Content-Type"], Does.StartWith("text/plain"));
            Assert.That(answer.Text, Does.Contain("mlops_runs_waiting{"), "the gauges are read from the stores on every scrape");
        });
    }

    private static async Task<RawAnswer> ScrapeAsync(string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Add(ServeHarness.RemoteHeader, ServeHarness.RemoteAddress);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await Serve.SendRawAsync(request);
    }
}
