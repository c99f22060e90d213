using Microsoft.AspNetCore.Http;
using MlOpsOrchestrator.Dashboard;
using MlOpsOrchestrator.Security;
using NUnit.Framework;

namespace MlOpsOrchestrator.Scheduling.Tests.Dashboard;

/// <summary>The same-origin rule the actions apply on top of the antiforgery token.</summary>
[TestFixture]
public sealed class ActionDispatcherTests
{
    [TestCase(null, null, null, true, TestName = "No Origin, no Referer (not a browser form): left to the antiforgery token")]
    [TestCase("http://127.0.0.1:5000", null, null, true, TestName = "Same Origin")]
    [TestCase("http://127.0.0.1:5001", null, null, false, TestName = "Other port")]
    [TestCase("http://evil.example", null, null, false, TestName = "Foreign Origin")]
    [TestCase("null", null, null, false, TestName = "Opaque Origin (sandboxed frame, data: URL)")]
    [TestCase(null, "http://127.0.0.1:5000/hangfire/runs/r", null, true, TestName = "Same Referer without Origin")]
    [TestCase(null, "http://evil.example/page", null, false, TestName = "Foreign Referer without Origin")]
    [TestCase("http://127.0.0.1:5000", null, "cross-site", false, TestName = "Sec-Fetch-Site cross-site")]
    [TestCase("http://127.0.0.1:5000", null, "same-origin", true, TestName = "Sec-Fetch-Site same-origin")]
    [TestCase("http://127.0.0.1:5001", null, "same-site", false, TestName = "Another port of the same machine is same-site, not same-origin")]
    [TestCase("https://mlops.example.com", null, "same-origin", true, TestName = "An allowed origin (a proxy's public address)")]
    [TestCase("https://mlops.example.com:8443", null, null, false, TestName = "An allowed origin's host on another port")]
    public void CrossSite_JudgesOriginRefererAndFetchMetadata(string? origin, string? referer, string? fetchSite, bool allowed)
    {
        var request = new DefaultHttpContext().Request;
        request.Method = "POST";
        request.Host = new HostString("127.0.0.1:5000");
        if (origin is not null)
        {
            request.Headers.Origin = origin;
        }

        if (referer is not null)
        {
            request.Headers.Referer = referer;
        }

        if (fetchSite is not null)
        {
            request.Headers["Sec-Fetch-Site"] = fetchSite;
        }

        var reason = ActionDispatcher.CrossSite(request, Policy);

        Assert.That(reason is null, Is.EqualTo(allowed), reason);
    }

    [TestCase("Bearer " + ApiToken, true, TestName = "The API token as Bearer: no page can make a browser send it")]
    [TestCase("Bearer wrong", false, TestName = "A wrong Bearer token")]
    [TestCase("Basic b3BzOmFwaS10b2tlbg==", false, TestName = "The API token through basic auth: a browser sends it by itself")]
    public void CrossSite_ForeignOriginWithToken_AllowedOnlyForABearerApiToken(string authorization, bool allowed)
    {
        var request = new DefaultHttpContext().Request;
        request.Method = "POST";
        request.Host = new HostString("127.0.0.1:5000");
        request.Headers.Origin = "http://evil.example";
        request.Headers.Authorization = authorization;

        var reason = ActionDispatcher.CrossSite(request, Policy);

        Assert.That(reason is null, Is.EqualTo(allowed), reason);
    }

    [TestCase("GET", TestName = "GET reads")]
    [TestCase("HEAD", TestName = "HEAD reads")]
    public void CrossSite_ReadFromForeignOrigin_NotJudged(string method)
    {
        var request = new DefaultHttpContext().Request;
        request.Method = method;
        request.Host = new HostString("127.0.0.1:5000");
        request.Headers.Origin = "http://evil.example";

        Assert.That(ActionDispatcher.CrossSite(request, Policy), Is.Null);
    }

    private const string ApiToken = "api-token";

    private static readonly AccessPolicy Policy = new(ApiToken, "viewer-token", ["https://mlops.example.com"]);
}
