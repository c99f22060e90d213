using MlOpsOrchestrator.Security;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Cli.Notifications;

/// <summary>
/// How notifications are delivered, from the environment of every process that executes runs (<c>serve</c>,
/// <c>worker</c>, <c>mlops run</c>): the default webhooks of pipelines without <c>notify:</c>
/// (<c>MLOPS_NOTIFY_WEBHOOKS</c>, filtered by <c>MLOPS_NOTIFY_EVENTS</c>), the dashboard's public address for the
/// link to the run (<c>MLOPS_PUBLIC_URL</c>; <c>serve</c> falls back to its own address), and the retry policy.
/// </summary>
public sealed record NotifySettings
{
    public const string WebhooksVariable = "MLOPS_NOTIFY_WEBHOOKS";
    public const string EventsVariable = "MLOPS_NOTIFY_EVENTS";
    public const string PublicUrlVariable = "MLOPS_PUBLIC_URL";

    /// <summary>Nothing is sent, not even to a pipeline's own <c>notify:</c>: a replay's simulated runs.</summary>
    public static NotifySettings Off { get; } = new() { Enabled = false };

    /// <summary>False: notifications are dropped unsent (<see cref="Off"/>).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The webhooks of every pipeline that has no <c>notify:</c> of its own.</summary>
    public IReadOnlyList<NotifySpec> Webhooks { get; init; } = [];

    /// <summary>The dashboard's address (<c>https://mlops.example.com/hangfire</c>); null: messages carry no link.</summary>
    public Uri? DashboardUrl { get; init; }

    /// <summary>Tries per notification and webhook, the first included.</summary>
    public int Attempts { get; init; } = 3;

    /// <summary>The wait before the second try; each further wait is four times the previous (1 s, 4 s, …).</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one try may take before it counts as failed.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a process that stops (a one-shot command's end, a host's shutdown) waits for deliveries still under way.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The notifications not yet delivered that may wait at once; more are dropped with a warning.</summary>
    public int QueueCapacity { get; init; } = 1000;

    /// <summary>
    /// Reads the variables. Entries that are not http(s) URLs or event names are left out and described in
    /// <paramref name="problems"/>, each saying what to write instead.
    /// </summary>
    public static NotifySettings FromEnvironment(Func<string, string?> variable, out IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var found = new List<string>();
        var events = new List<NotifyEvent>();
        foreach (var name in AccessPolicy.List(variable(EventsVariable)))
        {
            if (NotifyEvents.Parse(name) is { } e)
            {
                events.Add(e);
            }
            else
            {
                found.Add($"'{name}' in {EventsVariable} is not an event; use {string.Join(", ", NotifyEvents.Names)} (separated by ',')");
            }
        }

        var hooks = new List<NotifySpec>();
        var urls = AccessPolicy.List(variable(WebhooksVariable));
        for (var i = 0; i < urls.Count; i++)
        {
            if (Uri.TryCreate(urls[i], UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
            {
                hooks.Add(new NotifySpec { Url = url, Events = events.Count > 0 ? events.Distinct().ToList() : NotifySpec.AllEvents });
            }
            else
            {
                found.Add($"entry {i + 1} of {WebhooksVariable} is not an http or https URL; write full webhook addresses separated by ',' (the value is not shown: webhook addresses are secrets)");
            }
        }

        Uri? dashboard = null;
        if (variable(PublicUrlVariable) is { Length: > 0 } publicUrl)
        {
            if (Uri.TryCreate(publicUrl.Trim(), UriKind.Absolute, out var root) && root.Scheme is "http" or "https")
            {
                dashboard = Dashboard(root);
            }
            else
            {
                found.Add($"{PublicUrlVariable} '{publicUrl}' is not an http or https URL; write the address people open the dashboard at, e.g. https://mlops.example.com");
            }
        }

        problems = found;
        return new NotifySettings { Webhooks = hooks, DashboardUrl = dashboard };
    }

    /// <summary>The dashboard under a server's public root address.</summary>
    public static Uri Dashboard(Uri root)
    {
        ArgumentNullException.ThrowIfNull(root);
        return new Uri(root.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/hangfire");
    }

    /// <summary>The page of <paramref name="runId"/> on the dashboard, or null when its address is unknown.</summary>
    public Uri? RunPage(string runId) => DashboardUrl is { } dashboard ? new Uri($"{dashboard.AbsoluteUri.TrimEnd('/')}/runs/{Uri.EscapeDataString(runId)}") : null;
}
