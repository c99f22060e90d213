using System.Net;
using Microsoft.AspNetCore.Http;
using MlOpsOrchestrator.Security;

namespace MlOpsOrchestrator.Cli.Api;

/// <summary>
/// The host names <c>serve</c> answers to, from the URLs it listens on: the loopback names for a loopback binding,
/// the configured name or address otherwise, and for a wildcard binding (<c>0.0.0.0</c>, <c>*</c>) the loopback names,
/// the machine's name and any IP address; plus <c>MLOPS_ALLOWED_HOSTS</c> (<c>*.example.com</c> matches the
/// subdomains, <c>*</c> anything). A page that rebinds its own DNS name to this machine sends its own name as Host, so
/// refusing unknown names keeps it from reading or doing anything; an IP address cannot be rebound.
/// </summary>
internal sealed class AllowedHosts
{
    public const string Variable = "MLOPS_ALLOWED_HOSTS";

    private static readonly string[] LoopbackNames = ["localhost", "127.0.0.1", "::1"];

    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _suffixes = [];
    private bool _any;
    private bool _anyAddress;

    public static AllowedHosts From(IEnumerable<string> urls, IEnumerable<string> extra)
    {
        var hosts = new AllowedHosts();
        foreach (var url in urls)
        {
            hosts.AddUrl(url);
        }

        foreach (var name in extra)
        {
            hosts.AddName(name);
        }

        return hosts;
    }

    /// <summary>True when a request with this Host may be served. No Host at all (HTTP/1.0 probes) is no browser's request.</summary>
    public bool Allows(HostString host)
    {
        if (!host.HasValue || _any)
        {
            return true;
        }

        var name = Normalize(host.Host);
        return _names.Contains(name)
               || (_anyAddress && IPAddress.TryParse(name, out _))
               || _suffixes.Exists(s => name.EndsWith(s, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>What this server answers to, for the refusal's message.</summary>
    public string Describe()
    {
        if (_any)
        {
            return "any host";
        }

        var names = _names.Order(StringComparer.Ordinal).Select(n => n.Contains(':', StringComparison.Ordinal) ? $"[{n}]" : n)
            .Concat(_suffixes.Select(s => "*" + s));
        return string.Join(", ", _anyAddress ? names.Append("any IP address") : names);
    }

    /// <summary>Why an <c>MLOPS_ALLOWED_HOSTS</c> entry is not a host name, or null.</summary>
    public static string? Problem(string entry)
    {
        var name = entry.StartsWith("*.", StringComparison.Ordinal) ? entry[2..] : entry;
        return entry == "*" || Uri.CheckHostName(Normalize(name)) != UriHostNameType.Unknown
            ? null
            : $"'{entry}' in {Variable} is not a host name; expected names such as mlops.example.com or *.example.com, without scheme or port, separated by ';'";
    }

    private void AddUrl(string url)
    {
        var candidate = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
        if (!Uri.TryCreate(candidate, UriKind.Absolute, out var uri))
        {
            return;
        }

        var host = Normalize(uri.Host);
        if (IPAddress.TryParse(host, out var address) && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)))
        {
            _names.UnionWith(LoopbackNames);
            _names.Add(Normalize(Dns.GetHostName()));
            _anyAddress = true;
        }
        else if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || AccessPolicy.IsLoopback(address))
        {
            _names.UnionWith(LoopbackNames);
        }
        else
        {
            _names.Add(host);
        }
    }

    private void AddName(string entry)
    {
        if (entry == "*")
        {
            _any = true;
        }
        else if (entry.StartsWith("*.", StringComparison.Ordinal))
        {
            _suffixes.Add(Normalize(entry[1..]));
        }
        else
        {
            _names.Add(Normalize(entry));
        }
    }

    /// <summary>Lower case, without IPv6 brackets or a trailing dot; IP addresses in their canonical form.</summary>
    private static string Normalize(string host)
    {
        var name = host.Trim().TrimEnd('.').ToLowerInvariant();
        if (name.StartsWith('[') && name.EndsWith(']'))
        {
            name = name[1..^1];
        }

        return IPAddress.TryParse(name, out var address) ? address.ToString() : name;
    }
}
