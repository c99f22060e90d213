using Microsoft.AspNetCore.Http;
using MlOpsOrchestrator.Scheduling.Dashboard;
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
    public void CrossSite_JudgesOriginRefererAndFetchMetadata(string? origin, string? referer, string? fetchSite, bool allowed)
    {
        var request = new DefaultHttpContext().Request;
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

        var reason = ActionDispatcher.CrossSite(request);

        Assert.That(reason is null, Is.EqualTo(allowed), reason);
    }
}
