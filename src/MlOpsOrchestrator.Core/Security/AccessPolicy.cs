using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace MlOpsOrchestrator.Security;

/// <summary>
/// The one authorization rule of the HTTP API and the dashboard (spec "HTTP"): requests from the machine itself are
/// allowed; others need <c>MLOPS_API_TOKEN</c> (Bearer, or basic auth for the dashboard) to act, or
/// <c>MLOPS_VIEWER_TOKEN</c> to read. Without a configured token, remote requests are denied. Because a browser on
/// the machine itself is "the machine itself" for every page it shows, a request that changes state must also come
/// from the server's own web origin (or one of <c>MLOPS_ALLOWED_ORIGINS</c>) unless it carries the token as Bearer,
/// which no page of another origin can make a browser send.
/// </summary>
public sealed class AccessPolicy
{
    public const string AllowedOriginsVariable = "MLOPS_ALLOWED_ORIGINS";

    /// <summary><c>name:token,...</c>: API tokens that each carry the name every action taken with them records.</summary>
    public const string NamedApiTokensVariable = "MLOPS_API_TOKENS";

    /// <summary><c>name:token,...</c>: read-only tokens, named likewise.</summary>
    public const string NamedViewerTokensVariable = "MLOPS_VIEWER_TOKENS";

    private readonly IReadOnlyList<AccessToken> _tokens;
    private readonly HashSet<string> _allowedOrigins;

    /// <summary>The unnamed tokens of <c>MLOPS_API_TOKEN</c> and <c>MLOPS_VIEWER_TOKEN</c>, recorded as <c>token</c> and <c>viewer-token</c>.</summary>
    public AccessPolicy(string? apiToken, string? viewerToken, IReadOnlyCollection<string>? allowedOrigins = null)
        : this(Unnamed(apiToken, viewerToken), allowedOrigins)
    {
    }

    /// <summary>Any number of tokens, each with the name its actions record (<see cref="AccessToken.Name"/>) and its level.</summary>
    public static AccessPolicy WithTokens(IReadOnlyList<AccessToken> tokens, IReadOnlyCollection<string>? allowedOrigins = null) => new(tokens, allowedOrigins);

    private AccessPolicy(IReadOnlyList<AccessToken> tokens, IReadOnlyCollection<string>? allowedOrigins)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        _tokens = tokens;
        _allowedOrigins = new((allowedOrigins ?? []).Select(o => Origin(o) ?? o), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The tokens from <c>MLOPS_API_TOKEN</c>, <c>MLOPS_VIEWER_TOKEN</c>, <c>MLOPS_API_TOKENS</c> and
    /// <c>MLOPS_VIEWER_TOKENS</c> (see <see cref="AccessToken.Parse"/>), the origins from <c>MLOPS_ALLOWED_ORIGINS</c>
    /// unless given. A malformed named-token list throws <see cref="FormatException"/> naming the variable; the host
    /// checks the lists at start-up (<see cref="AccessToken.Problems"/>).
    /// </summary>
    public static AccessPolicy FromEnvironment(IReadOnlyCollection<string>? allowedOrigins = null)
    {
        var tokens = new List<AccessToken>(Unnamed(
            NullIfEmpty(Environment.GetEnvironmentVariable("MLOPS_API_TOKEN")),
            NullIfEmpty(Environment.GetEnvironmentVariable("MLOPS_VIEWER_TOKEN"))));
        tokens.AddRange(AccessToken.Parse(NamedApiTokensVariable, Environment.GetEnvironmentVariable(NamedApiTokensVariable), AccessLevel.Write));
        tokens.AddRange(AccessToken.Parse(NamedViewerTokensVariable, Environment.GetEnvironmentVariable(NamedViewerTokensVariable), AccessLevel.Read));
        return new AccessPolicy(tokens, allowedOrigins ?? List(Environment.GetEnvironmentVariable(AllowedOriginsVariable)));
    }

    private static List<AccessToken> Unnamed(string? apiToken, string? viewerToken)
    {
        var tokens = new List<AccessToken>();
        if (apiToken is not null)
        {
            tokens.Add(new AccessToken(null, apiToken, AccessLevel.Write));
        }

        if (viewerToken is not null)
        {
            tokens.Add(new AccessToken(null, viewerToken, AccessLevel.Read));
        }

        return tokens;
    }

    public AccessLevel Decide(IPAddress? remote, string? authorizationHeader)
    {
        if (IsLoopback(remote))
        {
            return AccessLevel.Write;
        }

        return TokenLevel(authorizationHeader);
    }

    /// <summary>
    /// Why a request that changes state (any method but GET, HEAD, OPTIONS, TRACE) comes from a web page of another
    /// origin and may not act, or null when it may: its <c>Origin</c> (else <c>Referer</c>) is the server's own
    /// (<paramref name="host"/>, the request's validated Host) or an allowed one, or it has neither (curl, HttpClient),
    /// and <c>Sec-Fetch-Site</c> does not say cross-site; or it carries the API token as Bearer.
    /// </summary>
    public string? CrossOrigin(string method, string host, string? origin, string? referer, string? secFetchSite, string? authorizationHeader)
    {
        if (IsReading(method) || BearerLevel(authorizationHeader) == AccessLevel.Write)
        {
            return null;
        }

        if (string.Equals(secFetchSite, "cross-site", StringComparison.OrdinalIgnoreCase))
        {
            return $"a request from a page of another site (Sec-Fetch-Site: cross-site) may not change anything here; {Remedy}";
        }

        var (header, source) = !string.IsNullOrEmpty(origin) ? ("Origin", origin) : !string.IsNullOrEmpty(referer) ? ("Referer", referer) : (null, null);
        if (source is null)
        {
            return null;
        }

        if (Uri.TryCreate(source, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            && (string.Equals(uri.Authority, host, StringComparison.OrdinalIgnoreCase) || _allowedOrigins.Contains(Origin(source)!)))
        {
            return null;
        }

        return $"a page of another origin may not change anything here: {header} '{Shorten(source)}' is neither this server ('{host}') nor in {AllowedOriginsVariable}; {Remedy}";
    }

    /// <summary>
    /// Who the caller is, as this rule established it, for the record of a decision: <c>token</c> (the API token),
    /// <c>viewer-token</c>, <c>local</c> (the machine itself, no token) or <c>anonymous</c>, with the remote address and
    /// <paramref name="channel"/>, e.g. <c>local (127.0.0.1, api)</c>. A basic-auth user name given with the token
    /// (the dashboard's prompt) leads: <c>alice (token, 10.0.0.5, dashboard)</c>. Nothing the request body says counts.
    /// </summary>
    public string Identify(IPAddress? remote, string? authorizationHeader, string channel)
    {
        var address = remote is null ? "unknown address" : (remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote).ToString();
        var token = Match(authorizationHeader);
        var credential = token?.Level switch
        {
            AccessLevel.Write => "token",
            AccessLevel.Read => "viewer-token",
            _ => IsLoopback(remote) ? "local" : "anonymous",
        };
        if (token?.Name is { } name)
        {
            return $"{name} ({credential}, {address}, {channel})";
        }

        return credential is "token" or "viewer-token" && BasicUser(authorizationHeader) is { } user
            ? $"{user} ({credential}, {address}, {channel})"
            : $"{credential} ({address}, {channel})";
    }

    /// <summary>
    /// The recorded actor of a decision: <paramref name="who"/> as established (an identity, the OS user), with a
    /// name the caller gave (<c>--by</c>, a body's <c>by</c>) kept only as a note: <c>bob for alice</c>.
    /// </summary>
    public static string Actor(string who, string? named)
    {
        var note = string.IsNullOrWhiteSpace(named) ? null : named.Trim();
        return note is null || string.Equals(note, who, StringComparison.Ordinal) ? who : $"{who} for {note}";
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

        return Basic(header) is var (user, password) ? password ?? user : null;
    }

    /// <summary><c>scheme://host[:port]</c> of an absolute http(s) URL, lower case, default port left out; null for anything else.</summary>
    public static string? Origin(string url) =>
        Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0
            ? uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant()
            : null;

    /// <summary>A setting's list: entries separated by ';', ',' or whitespace.</summary>
    public static IReadOnlyList<string> List(string? value) =>
        (value ?? "").Split([';', ',', ' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static bool IsLoopback(IPAddress? remote) =>
        remote is not null && IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote);

    private const string Remedy = "use the dashboard's own address, or call the API without a browser (or with 'Authorization: Bearer' and MLOPS_API_TOKEN)";

    private static bool IsReading(string method) =>
        string.Equals(method, "GET", StringComparison.OrdinalIgnoreCase) || string.Equals(method, "HEAD", StringComparison.OrdinalIgnoreCase)
        || string.Equals(method, "OPTIONS", StringComparison.OrdinalIgnoreCase) || string.Equals(method, "TRACE", StringComparison.OrdinalIgnoreCase);

    private AccessLevel TokenLevel(string? authorizationHeader) => Match(authorizationHeader)?.Level ?? AccessLevel.Denied;

    /// <summary>The configured token the header carries (an API token before a viewer token of the same value), or null.</summary>
    private AccessToken? Match(string? authorizationHeader)
    {
        if (Token(authorizationHeader) is not { } given)
        {
            return null;
        }

        AccessToken? found = null;
        foreach (var token in _tokens)
        {
            // Every token is compared, in constant time, so the time taken says nothing about which matched.
            if (Same(given, token.Secret) && (found is null || (found.Level == AccessLevel.Read && token.Level == AccessLevel.Write)))
            {
                found = token;
            }
        }

        return found;
    }

    /// <summary>The level of a Bearer token alone: a browser never adds one to a request of another origin's page.</summary>
    private AccessLevel BearerLevel(string? authorizationHeader) =>
        authorizationHeader is { } header && header.Trim().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? TokenLevel(header) : AccessLevel.Denied;

    private static string? BasicUser(string? authorizationHeader) =>
        authorizationHeader is { } header && Basic(header.Trim()) is (var user, not null) ? user : null;

    /// <summary>User and password of <c>Basic ...</c> (either may be null), or null when the header is not basic auth.</summary>
    private static (string? User, string? Password)? Basic(string header)
    {
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? (NullIfEmpty(pair), null) : (NullIfEmpty(pair[..colon]), NullIfEmpty(pair[(colon + 1)..]));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string Shorten(string value) => value.Length <= 200 ? value : value[..200] + "...";

    private static bool Same(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
