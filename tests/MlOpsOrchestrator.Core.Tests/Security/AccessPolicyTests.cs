using System.Net;
using System.Text;
using MlOpsOrchestrator.Security;
using NUnit.Framework;

namespace MlOpsOrchestrator.Core.Tests.Security;

/// <summary>Who a decision is recorded as: what the access rule established, never what the caller claims.</summary>
public sealed class AccessPolicyTests
{
    private const string Api = "api-token";
    private const string Viewer = "viewer-token";

    private static readonly AccessPolicy Policy = new(Api, Viewer);

    [TestCase("127.0.0.1", null, "local (127.0.0.1, api)", TestName = "Loopback without token")]
    [TestCase("::ffff:127.0.0.1", null, "local (127.0.0.1, api)", TestName = "IPv4-mapped loopback shown as IPv4")]
    [TestCase("::1", null, "local (::1, api)", TestName = "IPv6 loopback")]
    [TestCase("10.0.0.5", "Bearer " + Api, "token (10.0.0.5, api)", TestName = "API token")]
    [TestCase("127.0.0.1", "Bearer " + Api, "token (127.0.0.1, api)", TestName = "A valid token counts over loopback")]
    [TestCase("10.0.0.5", "Bearer " + Viewer, "viewer-token (10.0.0.5, api)", TestName = "Viewer token")]
    [TestCase("10.0.0.5", "Bearer guess", "anonymous (10.0.0.5, api)", TestName = "Wrong token")]
    [TestCase("10.0.0.5", "basic:alice:" + Api, "alice (token, 10.0.0.5, api)", TestName = "Basic-auth user with the token")]
    [TestCase("10.0.0.5", "basic:" + Api, "token (10.0.0.5, api)", TestName = "The token as the user name is never recorded")]
    [TestCase("127.0.0.1", "basic:mallory:wrong", "local (127.0.0.1, api)", TestName = "A user name without a valid token is not recorded")]
    public void Identify_RecordsTheEstablishedCaller(string remote, string? authorization, string expected)
    {
        var header = authorization is not null && authorization.StartsWith("basic:", StringComparison.Ordinal)
            ? "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(authorization["basic:".Length..]))
            : authorization;

        Assert.That(Policy.Identify(IPAddress.Parse(remote), header, "api"), Is.EqualTo(expected));
    }

    [TestCase("bob", null, "bob")]
    [TestCase("bob", "  ", "bob")]
    [TestCase("bob", "bob", "bob")]
    [TestCase("bob", " alice ", "bob for alice")]
    public void Actor_KeepsAGivenNameOnlyAsANote(string who, string? named, string expected) =>
        Assert.That(AccessPolicy.Actor(who, named), Is.EqualTo(expected));
}
