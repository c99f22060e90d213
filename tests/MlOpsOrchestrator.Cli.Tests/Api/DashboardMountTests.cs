using System.Net;
using System.Net.Http.Headers;
using MlOpsOrchestrator.Cli.Tests.Hosting;
using NUnit.Framework;
using static MlOpsOrchestrator.Cli.Tests.Api.ApiSetUp;

namespace MlOpsOrchestrator.Cli.Tests.Api;

/// <summary>The dashboard is mounted at <c>/hangfire</c> by <c>serve</c>, behind the same access rule as the API.</summary>
public sealed class DashboardMountTests
{
    [Test]
    public async Task Dashboard_Loopback_ServesThePipelinesPage()
    {
        using var response = await Serve.Client.GetAsync(new Uri("/hangfire/pipelines", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), html);
        Assert.That(html, Does.Contain(ServeHarness.Pipeline));
    }

    [TestCase(null, HttpStatusCode.Unauthorized)]
    [TestCase(ServeHarness.ViewerToken, HttpStatusCode.OK)]
    public async Task Dashboard_Remote_NeedsAToken(string? token, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hangfire");
        request.Headers.Add(ServeHarness.RemoteHeader, ServeHarness.RemoteAddress);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"viewer:{token}")));
        }

        using var response = await Serve.Client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(expected));
    }
}
