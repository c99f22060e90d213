using System.Net;
using System.Text;
using Hangfire;
using Hangfire.Dashboard;
using Hangfire.Storage;
using Microsoft.AspNetCore.Http;
using MlOpsOrchestrator.Dashboard;
using MlOpsOrchestrator.Security;
using NUnit.Framework;

namespace MlOpsOrchestrator.Scheduling.Tests.Dashboard;

/// <summary>
/// The filter's decisions for requests from other machines, on a bare <see cref="DefaultHttpContext"/> whose remote
/// address is set directly: no traffic goes anywhere. What Hangfire then answers (401 for an anonymous refusal,
/// 403 for an authenticated one) is checked end to end in <see cref="DashboardFlowTests"/>.
/// </summary>
[TestFixture]
public sealed class MlOpsDashboardAuthorizationFilterTests
{
    private const string Api = "api-token";
    private const string Viewer = "viewer-token";

    private readonly MlOpsDashboardAuthorizationFilter _filter = new(new AccessPolicy(Api, Viewer));

    [TestCase("10.0.0.5", null, "GET", "/runs", false, TestName = "Remote without token: refused")]
    [TestCase("10.0.0.5", "Bearer wrong", "GET", "/runs", false, TestName = "Remote with a wrong token: refused")]
    [TestCase("10.0.0.5", "Bearer " + Viewer, "GET", "/runs", true, TestName = "Viewer token: GET allowed")]
    [TestCase("10.0.0.5", "Bearer " + Viewer, "HEAD", "/runs", true, TestName = "Viewer token: HEAD allowed")]
    [TestCase("10.0.0.5", "Bearer " + Viewer, "POST", "/stats", true, TestName = "Viewer token: the statistics poll allowed")]
    [TestCase("10.0.0.5", "Bearer " + Viewer, "POST", "/runs/r/steps/deploy/approve", false, TestName = "Viewer token: POST refused")]
    [TestCase("10.0.0.5", "Bearer " + Viewer, "POST", "/jobs/enqueued/delete", false, TestName = "Viewer token: stock dashboard actions refused")]
    [TestCase("10.0.0.5", "Bearer " + Api, "POST", "/runs/r/steps/deploy/approve", true, TestName = "API token: POST allowed")]
    [TestCase("10.0.0.5", "basic:ops:" + Api, "POST", "/models/m/rollback", true, TestName = "API token through basic auth (browser prompt): allowed")]
    [TestCase("127.0.0.1", null, "POST", "/models/m/rollback", true, TestName = "Loopback: allowed without token")]
    [TestCase("::1", null, "POST", "/models/m/rollback", true, TestName = "IPv6 loopback: allowed without token")]
    public async Task Authorize_DecidesByAccessPolicy(string remote, string? authorization, string method, string path, bool allowed)
    {
        var context = Context(remote, authorization, method, path);

        var sync = _filter.Authorize(context);
        var async = await _filter.AuthorizeAsync(Context(remote, authorization, method, path));

        Assert.That(sync, Is.EqualTo(allowed));
        Assert.That(async, Is.EqualTo(allowed));
    }

    [Test]
    public void Authorize_RemoteWithoutToken_ChallengesForBasicAuthSoBrowsersPrompt()
    {
        var context = Context("10.0.0.5", null, "GET", "/pipelines");

        Assert.That(_filter.Authorize(context), Is.False);
        var http = context.GetHttpContext();
        Assert.That(http.Response.Headers.WWWAuthenticate.ToString(), Is.EqualTo("Basic realm=\"mlops\""));
        Assert.That(http.User.Identity?.IsAuthenticated, Is.Not.True, "anonymous: Hangfire answers 401");
    }

    [Test]
    public void Authorize_ViewerPost_RefusedAsAuthenticatedSoHangfireAnswers403()
    {
        var context = Context("10.0.0.5", "Bearer " + Viewer, "POST", "/runs/r/steps/deploy/approve");

        Assert.That(_filter.Authorize(context), Is.False);
        var http = context.GetHttpContext();
        Assert.That(http.User.Identity?.IsAuthenticated, Is.True);
        Assert.That(http.Response.Headers.WWWAuthenticate.ToString(), Is.Empty, "no password prompt for a known viewer");
    }

    private static AspNetCoreDashboardContext Context(string remote, string? authorization, string method, string path)
    {
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        http.Request.Method = method;
        http.Request.Path = path;
        if (authorization is not null)
        {
            http.Request.Headers.Authorization = authorization.StartsWith("basic:", StringComparison.Ordinal)
                ? "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(authorization["basic:".Length..]))
                : authorization;
        }

        return new AspNetCoreDashboardContext(new UnusedStorage(), new DashboardOptions { IgnoreAntiforgeryToken = true }, http);
    }

    /// <summary>The filter never touches the storage; a dashboard context just needs one.</summary>
    private sealed class UnusedStorage : JobStorage
    {
        public override IMonitoringApi GetMonitoringApi() => throw new NotSupportedException();

        public override IStorageConnection GetConnection() => throw new NotSupportedException();
    }
}
