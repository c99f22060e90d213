using System.Net;
using System.Text;
using MlOpsOrchestrator.Security;
using NUnit.Framework;

namespace MlOpsOrchestrator.Core.Tests.Security;

/// <summary>
/// Named tokens (<c>MLOPS_API_TOKENS=name:token,...</c>, <c>MLOPS_VIEWER_TOKENS</c> likewise): each action taken with
/// one records its name; the unnamed tokens keep working as before.
/// </summary>
public sealed class AccessTokenTests
{
    private static readonly AccessPolicy Policy = AccessPolicy.WithTokens(
    [
        new AccessToken(null, "old-api-token", AccessLevel.Write),
        .. AccessToken.Parse("MLOPS_API_TOKENS", "alice:alice-secret-1, bob:bob:with:colons", AccessLevel.Write),
        .. AccessToken.Parse("MLOPS_VIEWER_TOKENS", "vera:vera-viewer-1", AccessLevel.Read),
    ]);

    [TestCase("Bearer alice-secret-1", "alice (token, 10.0.0.5, api)", AccessLevel.Write, TestName = "A named API token records its name")]
    [TestCase("Bearer bob:with:colons", "bob (token, 10.0.0.5, api)", AccessLevel.Write, TestName = "A token may contain colons")]
    [TestCase("Bearer vera-viewer-1", "vera (viewer-token, 10.0.0.5, api)", AccessLevel.Read, TestName = "A named viewer token reads only")]
    [TestCase("Bearer old-api-token", "token (10.0.0.5, api)", AccessLevel.Write, TestName = "The unnamed token works as before")]
    [TestCase("basic:mallory:alice-secret-1", "alice (token, 10.0.0.5, api)", AccessLevel.Write, TestName = "The token's name wins over a basic-auth user name")]
    [TestCase("Bearer alice", "anonymous (10.0.0.5, api)", AccessLevel.Denied, TestName = "A name is not a token")]
    public void Identify_NamedTokens_RecordTheirName(string authorization, string expected, AccessLevel level)
    {
        var header = authorization.StartsWith("basic:", StringComparison.Ordinal)
            ? "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(authorization["basic:".Length..]))
            : authorization;
        var remote = IPAddress.Parse("10.0.0.5");

        Assert.Multiple(() =>
        {
            Assert.That(Policy.Identify(remote, header, "api"), Is.EqualTo(expected));
            Assert.That(Policy.Decide(remote, header), Is.EqualTo(level));
        });
    }

    [TestCase("alice", "MLOPS_API_TOKENS: entry 1 is not 'name:token'")]
    [TestCase(":abcdefgh", "MLOPS_API_TOKENS: entry 1 is not 'name:token'")]
    [TestCase("alice:tiny1", "MLOPS_API_TOKENS: the token of 'alice' is shorter than 8 characters")]
    [TestCase("al ice:abcdefgh", "MLOPS_API_TOKENS: entry 1 is not 'name:token'")]
    [TestCase("a/b:abcdefgh", "MLOPS_API_TOKENS: the name of entry 1 ")]
    [TestCase("alice:abcdefgh,alice:ijklmnop", "MLOPS_API_TOKENS: the name 'alice' is given twice")]
    public void Problems_MalformedList_NamesTheVariableAndEntry_NeverTheToken(string value, string expected)
    {
        var problems = AccessToken.Problems("MLOPS_API_TOKENS", value);

        Assert.Multiple(() =>
        {
            Assert.That(problems, Has.Some.StartsWith(expected), string.Join("; ", problems));
            Assert.That(string.Join("; ", problems), Does.Not.Contain("abcdefgh").And.Not.Contain("tiny1"));
            Assert.That(() => AccessToken.Parse("MLOPS_API_TOKENS", value, AccessLevel.Write), Throws.InstanceOf<FormatException>());
        });
    }

    [Test]
    public void Parse_Nothing_IsNoTokens() =>
        Assert.That(AccessToken.Parse("MLOPS_API_TOKENS", null, AccessLevel.Write), Is.Empty);

    [Test]
    public void ToString_KeepsTheSecretOut() =>
        Assert.That(new AccessToken("alice", "alice-secret-1", AccessLevel.Write).ToString(), Does.Not.Contain("alice-secret-1"));
}
