using System.Globalization;
using MlOpsOrchestrator.Feedback;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>
/// The model page's live comparison: production against each challenger alias (<c>canary</c>, <c>shadow</c>, any
/// other than production), on the online metrics of requests since the newest challenger moved (the last 24 hours
/// without one), with promote and withdraw buttons that ask for confirmation.
/// </summary>
internal static class LiveComparison
{
    public static async Task<OnlineReport?> LoadAsync(IOnlineMetrics? metrics, string name, IReadOnlyDictionary<string, int> aliases, IReadOnlyList<AliasChange> history, TimeProvider time, CancellationToken ct)
    {
        if (metrics is null || aliases.Count == 0)
        {
            return null;
        }

        var moved = history.Where(h => h.Alias != ModelPage.Production && !h.Removed && aliases.ContainsKey(h.Alias)).Select(h => (DateTimeOffset?)h.At).Max();
        return await metrics.ComputeAsync(name, moved ?? time.GetUtcNow().AddHours(-24), ct);
    }

    public static void Render(HtmlBuilder html, ModelPage.Model model, bool writable, AntiforgeryField? antiforgery, Func<string, string> link)
    {
        if (model.Online is not { } report)
        {
            return;
        }

        var challengers = model.Aliases.Where(a => a.Key != ModelPage.Production).OrderBy(a => a.Key, StringComparer.Ordinal).ToList();
        var since = report.Since.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        html.Add($"<h3>Live comparison</h3><p class=\"text-muted\">Requests since {since} UTC, judged by the labels fed back ({report.Requests} requests, {report.WaitingLabels} label(s) waiting for their prediction).</p>");
        html.Add($"<table class=\"table mlops-live\"><thead><tr><th>Alias</th><th>Version</th><th>Online metrics</th><th>Labelled requests</th><th>Traffic share</th><th>Latency p99</th><th></th></tr></thead><tbody>");
        var rows = model.Aliases.TryGetValue(ModelPage.Production, out var production)
            ? new[] { new KeyValuePair<string, int>(ModelPage.Production, production) }.Concat(challengers)
            : challengers;
        foreach (var (alias, version) in rows)
        {
            var online = report.Find(alias, version);
            var metrics = online is null || online.Metrics.Count == 0 ? "no labels yet" : string.Join(" ", online.Metrics.Select(m => $"{m.Key} {Number(m.Value)}"));
            html.Add($"<tr data-alias=\"{alias}\"><td>{alias}{(online?.Shadow == true ? " <small class=\"text-muted\">(not returned)</small>" : "")}</td><td>v{version}</td><td>{metrics}</td>");
            html.Add($"<td>{online?.Labelled ?? 0}</td><td>{Number((online?.TrafficShare ?? 0) * 100)}%</td><td>{(online?.LatencyP99 is { } p99 ? $"{Number(p99)} ms" : "-")}</td><td>");
            if (writable && alias != ModelPage.Production)
            {
                var target = link($"/models/{Uri.EscapeDataString(model.Name)}");
                html.Add($"<form method=\"post\" action=\"{target}/promote\" class=\"mlops-live-promote\" style=\"display:inline\" onsubmit=\"return confirm('Make version {version} ({alias}) production?')\">{antiforgery!.Input}");
                html.Add($"<input type=\"hidden\" name=\"alias\" value=\"{ModelPage.Production}\"><input type=\"hidden\" name=\"version\" value=\"{version}\"><input type=\"hidden\" name=\"reason\" value=\"live comparison: {alias} won\">");
                html.Add($"<button type=\"submit\" class=\"btn btn-sm btn-primary\">Promote {alias} to {ModelPage.Production}</button></form> ");
                html.Add($"<form method=\"post\" action=\"{target}/withdraw\" class=\"mlops-withdraw\" style=\"display:inline\" onsubmit=\"return confirm('Withdraw {alias} (version {version})? Requests stop going to it.')\">{antiforgery!.Input}");
                html.Add($"<input type=\"hidden\" name=\"alias\" value=\"{alias}\"><button type=\"submit\" class=\"btn btn-sm btn-warning\">Withdraw {alias}</button></form>");
            }

            html.Add($"</td></tr>");
        }

        html.Add($"</tbody></table>");
    }

    private static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
