using System.Data.Common;
using System.Text.RegularExpressions;

namespace MlOpsOrchestrator.Security;

/// <summary>
/// Scrubs every value a pipeline took from <c>${env:NAME}</c> out of a message, whatever produced it (the loader, a
/// step, the database driver, the database server, .NET), replacing it with <c>(value of ${env:NAME})</c>. Built once
/// per loaded pipeline from the values actually substituted; the run executor passes every step error, run error,
/// progress line and log event of a run through it, so no front end can show what it never stored.
/// </summary>
/// <remarks>
/// The rule for where a value is replaced (a short value would otherwise be replaced inside unrelated words):
/// <list type="bullet">
/// <item>quoted, as servers and drivers quote names (<c>'v'</c>, <c>"v"</c>): always, whatever its length;</item>
/// <item>at least <see cref="AnywhereLength"/> characters: everywhere, also inside a longer word;</item>
/// <item>from <see cref="TokenLength"/> to <see cref="AnywhereLength"/> - 1 characters: as a whole token (not next to a
/// letter, digit or <c>_</c>), so a host <c>db</c> is redacted in <c>db:5432</c> but not inside <c>database</c>;</item>
/// <item>a single character: only quoted.</item>
/// </list>
/// A value that is a connection string (<c>key=value;…</c>) is also redacted part by part (host, user name, password,
/// database), since servers echo those parts, never the whole string; by the same rule, except for the well-known
/// defaults anyone can guess (<c>postgres</c>, <c>localhost</c>, <c>127.0.0.1</c>, …), which are no secret and are
/// words of the product's own messages ("the postgres query"). Longer values are replaced first.
/// </remarks>
public sealed class SecretRedactor
{
    /// <summary>Values this long are replaced wherever they occur.</summary>
    public const int AnywhereLength = 8;

    /// <summary>Values from this length up are replaced as whole tokens.</summary>
    public const int TokenLength = 2;

    private static readonly string[] ConnectionParts =
        ["host", "server", "data source", "address", "username", "user name", "user id", "userid", "user", "uid", "password", "pwd", "database", "db", "initial catalog"];

    private static readonly HashSet<string> PublicDefaults = new(["postgres", "template1", "localhost", "127.0.0.1", "::1", "[::1]"], StringComparer.OrdinalIgnoreCase);

    private readonly List<(string Value, string Shown, Regex? Token)> _secrets;

    public SecretRedactor(IEnumerable<KeyValuePair<string, string>> substituted)
    {
        ArgumentNullException.ThrowIfNull(substituted);
        _secrets = substituted
            .SelectMany(s => Values(s.Value).Select(v => (Value: v, Shown: $"(value of ${{env:{s.Key}}})")))
            .Where(s => s.Value.Length > 0)
            .DistinctBy(s => s.Value, StringComparer.Ordinal)
            .OrderByDescending(s => s.Value.Length)
            .Select(s => (s.Value, s.Shown, s.Value.Length is >= TokenLength and < AnywhereLength ? WholeToken(s.Value) : null))
            .ToList();
    }

    /// <summary>Redacts nothing: a pipeline that took no value from the environment.</summary>
    public static SecretRedactor None { get; } = new([]);

    public bool IsEmpty => _secrets.Count == 0;

    /// <summary>The message with every substituted value replaced; null stays null.</summary>
    public string? Redact(string? message)
    {
        if (message is null || _secrets.Count == 0)
        {
            return message;
        }

        foreach (var (value, shown, token) in _secrets)
        {
            if (!message.Contains(value, StringComparison.Ordinal))
            {
                continue;
            }

            message = message
                .Replace($"'{value}'", $"'{shown}'", StringComparison.Ordinal)
                .Replace($"\"{value}\"", $"\"{shown}\"", StringComparison.Ordinal);
            if (value.Length >= AnywhereLength)
            {
                message = message.Replace(value, shown, StringComparison.Ordinal);
            }
            else if (token is not null)
            {
                message = token.Replace(message, shown.Replace("$", "$$", StringComparison.Ordinal));
            }
        }

        return message;
    }

    /// <summary>The value itself and, when it is a connection string, the parts a server or driver may echo.</summary>
    private static IEnumerable<string> Values(string value)
    {
        yield return value;
        if (!value.Contains('=', StringComparison.Ordinal))
        {
            yield break;
        }

        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = value;
        }
        catch (ArgumentException)
        {
            yield break; // Not a connection string: the whole value is still redacted.
        }

        foreach (var key in ConnectionParts)
        {
            if (!builder.TryGetValue(key, out var part) || part?.ToString() is not { Length: > 0 } text)
            {
                continue;
            }

            // A host list ("a,b:5433"): each host, with and without its port.
            var hosts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var withoutPorts = hosts.Select(h => h.LastIndexOf(':') is var colon and > 0 && !h.EndsWith(']') ? h[..colon] : h);
            foreach (var candidate in hosts.Concat(withoutPorts).Prepend(text).Where(c => !PublicDefaults.Contains(c)))
            {
                yield return candidate;
            }
        }
    }

    private static Regex WholeToken(string value) =>
        new($@"(?<![\p{{L}}\p{{N}}_]){Regex.Escape(value)}(?![\p{{L}}\p{{N}}_])", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}
