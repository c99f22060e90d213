using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace MlOpsOrchestrator.Security;

/// <summary>
/// The one authorization rule of the HTTP API and the dashboard (spec "HTTP"): requests from the machine itself are
/// allowed; others need <c>MLOPS_API_TOKEN</c> (Bearer, or basic auth for the dashboard) to act, or
/// <c>MLOPS_VIEWER_TOKEN</c> to read. Without a configured token, remote requests are denied.
/// </summary>
public sealed class AccessPolicy(string? apiToken, string? viewerToken)
{
    public static AccessPolicy FromEnvironment() => new(
        NullIfEmpty(Environment.GetEnvironmentVariable("MLOPS_API_TOKEN")),
        NullIfEmpty(Environment.GetEnvironmentVariable("MLOPS_VIEWER_TOKEN")));

    public AccessLevel Decide(IPAddress? remote, string? authorizationHeader)
    {
        if (remote is not null && IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote))
        {
            return AccessLevel.Write;
        }

        var token = Token(authorizationHeader);
        if (token is null)
        {
            return AccessLevel.Denied;
        }

        if (apiToken is not null && Same(token, apiToken))
        {
            return AccessLevel.Write;
        }

        return viewerToken is not null && Same(token, viewerToken) ? AccessLevel.Read : AccessLevel.Denied;
    }

    /// <summary>The token of <c>Bearer TOKEN</c>, or of basic auth (the password, or the user name when there is no password).</summary>
    public static string? Token(string? authorizationHeader)
    {
        if (string.IsNullOrWhiteSpace(authorizationHeader))
        {
            return null;
        }

        var header = authorizationHeader.Trim();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return NullIfEmpty(header[7..].Trim());
        }

        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? NullIfEmpty(pair) : NullIfEmpty(pair[(colon + 1)..]) ?? NullIfEmpty(pair[..colon]);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static bool Same(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
