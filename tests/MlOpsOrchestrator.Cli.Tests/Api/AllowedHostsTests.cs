using Microsoft.AspNetCore.Http;
using MlOpsOrchestrator.Cli.Api;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Api;

/// <summary>Which Host a <c>serve</c> listening on given URLs answers to (the rest is 400: DNS rebinding).</summary>
public sealed class AllowedHostsTests
{
    [TestCase("http://127.0.0.1:5080", "127.0.0.1:5080", true, TestName = "Loopback binding: its address")]
    [TestCase("http://127.0.0.1:5080", "localhost:5080", true, TestName = "Loopback binding: localhost")]
    [TestCase("http://127.0.0.1:5080", "[::1]:5080", true, TestName = "Loopback binding: IPv6 loopback")]
    [TestCase("http://127.0.0.1:5080", "evil.example:5080", false, TestName = "Loopback binding: a rebound name")]
    [TestCase("http://127.0.0.1:5080", "localhost.evil.example", false, TestName = "Loopback binding: a name ending like localhost")]
    [TestCase("http://127.0.0.1:5080", "10.0.0.5:5080", false, TestName = "Loopback binding: another address")]
    [TestCase("http://localhost:5080", "127.0.0.1:5080", true, TestName = "localhost binding: the loopback address")]
    [TestCase("http://0.0.0.0:5080", "localhost:5080", true, TestName = "Wildcard binding: localhost")]
    [TestCase("http://*:5080", "192.168.1.20:5080", true, TestName = "Wildcard binding: any IP address (cannot be rebound)")]
    [TestCase("http://+:5080", "[fd00::5]:5080", true, TestName = "Wildcard binding: any IPv6 address")]
    [TestCase("http://0.0.0.0:5080", "evil.example:5080", false, TestName = "Wildcard binding: a foreign name")]
    [TestCase("http://mlops.internal:5080", "MLOPS.internal.:5080", true, TestName = "Named binding: its name, any case, trailing dot")]
    [TestCase("http://mlops.internal:5080", "localhost:5080", false, TestName = "Named binding: not loopback names")]
    [TestCase("http://10.1.2.3:5080", "10.1.2.3:5080", true, TestName = "Address binding: its address")]
    [TestCase("http://10.1.2.3:5080", "10.1.2.4:5080", false, TestName = "Address binding: another address")]
    public void Allows_DecidesByTheUrlsServeListensOn(string url, string host, bool allowed) =>
        Assert.That(AllowedHosts.From([url], []).Allows(new HostString(host)), Is.EqualTo(allowed));

    [TestCase("mlops.example.com", "mlops.example.com", true)]
    [TestCase("*.example.com", "mlops.example.com", true)]
    [TestCase("*.example.com", "example.com", false)]
    [TestCase("*.example.com", "evil-example.com", false)]
    [TestCase("*", "anything.example", true)]
    public void Allows_ExtraNames_AddedToTheUrls(string extra, string host, bool allowed) =>
        Assert.That(AllowedHosts.From(["http://127.0.0.1:5080"], [extra]).Allows(new HostString(host)), Is.EqualTo(allowed));

    [Test]
    public void Allows_NoHostHeader_Allowed() =>
        Assert.That(AllowedHosts.From(["http://127.0.0.1:5080"], []).Allows(default), Is.True, "HTTP/1.0 probes (the container's health check) send none; no browser does that");
}
