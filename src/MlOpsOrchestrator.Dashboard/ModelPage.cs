using Microsoft.Extensions.DependencyInjection;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>
/// One model: its metric and drift history as charts (see <see cref="ModelCharts"/>), its versions with metrics and
/// lineage, its aliases and their history, and the promote and rollback buttons.
/// </summary>
internal sealed class ModelPage(ModelPage.Model model, bool canWrite, AntiforgeryField? antiforgery) : DashboardPage("Model " + model.Name)
{
    public const string Production = "production";

    public sealed record Model(
        string Name,
        IReadOnlyList<ModelVersion> Versions,
        IReadOnlyDictionary<string, int> Aliases,
        IReadOnlyList<AliasChange> History,
        ModelCharts.Data Monitoring,
        int? ProductionRollbackTarget)
    {
        /// <summary>The share of requests each routed alias answers (a canary's).</summary>
        public IReadOnlyDictionary<string, AliasRoute> Routes { get; init; } = new Dictionary<string, AliasRoute>();

        /// <summary>The "compare versions" section: the two versions picked and their slices (<see cref="VersionCompareSection"/>).</summary>
        public VersionCompareSection.State Comparison { get; init; } = new(null, null, null, null);

        /// <summary>Online metrics for the live comparison; null without a challenger alias or an online metrics service.</summary>
        public Feedback.OnlineReport? Online { get; init; }
    }

    public static async Task<DashboardPage> LoadAsync(PageRequest request)
    {
        var name = request.Route("name");
        if (await request.Services.Models.GetAsync(name, request.Aborted) is not { } details)
        {
            request.Http.Response.StatusCode = 404;
            return new MessagePage("Unknown model", $"There is no model named '{name}'.", "/models", "All models");
        }

        var (versions, aliases, history) = (details.Versions, details.Aliases, details.AliasHistory);

        // Optional: a host without a monitoring store shows the empty state.
        var evaluations = request.Http.RequestServices.GetService<IEvaluationStore>();
        var monitoring = await ModelCharts.LoadAsync(request.Services, evaluations, name, versions, request.Aborted);
        var comparison = await VersionCompareSection.LoadAsync(
            request.Http.RequestServices.GetService<Evaluations.IEvaluationService>(), name, versions, aliases, request.Query("a"), request.Query("b"), request.Aborted);
        var online = await LiveComparison.LoadAsync(
            request.Http.RequestServices.GetService<Feedback.IOnlineMetrics>(), name, aliases, history, request.Services.Time, request.Aborted);
        return new ModelPage(
            new Model(name, versions, aliases, history, monitoring, details.RollbackTarget(Production)) { Routes = details.Routes, Comparison = comparison, Online = online },
            request.CanWrite, request.Antiforgery);
    }

    /// <summary>The last move of <paramref name="alias"/>: where it points now and who moved it.</summary>
    public static AliasChange? LastMove(IReadOnlyList<AliasChange> history, string alias) => history.LastOrDefault(h => h.Alias == alias);

    protected override void Render(HtmlBuilder html)
    {
        var writable = canWrite && antiforgery is not null;
        html.Add($"<div class=\"row\"><div class=\"col-md-12\"><h1 class=\"page-header\">Model {model.Name}</h1>");
        html.Add($"<p><strong>Aliases:</strong> {(model.Aliases.Count == 0 ? "none" : string.Join(", ", model.Aliases.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key} → version {a.Value}{(model.Routes.TryGetValue(a.Key, out var route) ? $" ({route} of requests)" : "")}")))}</p>");
        if (LastMove(model.History, Production) is { } last && model.ProductionRollbackTarget is { } previous && writable)
        {
            html.Add($"<form method=\"post\" action=\"{Link($"/models/{Segment(model.Name)}/rollback")}\" class=\"mlops-rollback\" onsubmit=\"return confirm('Roll back production to the previous version?')\">{antiforgery!.Input}");
            html.Add($"<input type=\"hidden\" name=\"alias\" value=\"{Production}\">");
            html.Add($"<button type=\"submit\" class=\"btn btn-warning\">Roll back {Production}: version {last.Version} → version {previous}</button></form>");
        }

        if (!canWrite)
        {
            html.Add($"<p class=\"text-muted\">Read-only access: promoting and rolling back need the API token.</p>");
        }

        LiveComparison.Render(html, model, writable, antiforgery, Link);
        RenderCharts(html);
        RenderVersions(html, writable);
        VersionCompareSection.Render(html, Link($"/models/{Segment(model.Name)}"), model.Versions, model.Comparison);
        RenderHistory(html);
        html.Add($"</div></div>");
    }

    private void RenderCharts(HtmlBuilder html)
    {
        var metric = ModelCharts.MetricChart(model.Monitoring, model.Versions, model.History);
        var drift = ModelCharts.DriftChart(model.Monitoring, model.History);
        html.Add($"<h3>Monitoring</h3>");
        if (!metric.HasData && !drift.HasData)
        {
            html.Add($"<p class=\"text-muted mlops-chart-empty\">{ModelCharts.EmptyText}</p>");
            return;
        }

        html.Add($"<div class=\"mlops-charts\"><h4>{metric.Title}</h4>{metric.Render()}<h4>{drift.Title}</h4>{drift.Render()}</div>");
    }

    private void RenderVersions(HtmlBuilder html, bool writable)
    {
        html.Add($"<h3>Versions</h3><table class=\"table mlops-versions\"><thead><tr><th>Version</th><th>Aliases</th><th>Created</th><th>Run</th><th>Pipeline version</th><th>Data</th><th>Metrics</th><th></th></tr></thead><tbody>");
        foreach (var version in model.Versions.OrderByDescending(v => v.Version))
        {
            var aliases = string.Join(", ", model.Aliases.Where(a => a.Value == version.Version).Select(a => a.Key).Order(StringComparer.Ordinal));
            html.Add($"<tr data-version=\"{version.Version}\"><td>v{version.Version}</td><td>{(aliases.Length == 0 ? "" : aliases)}</td><td>{Badges.Time(version.CreatedAt)}</td>");
            html.Add($"<td><a href=\"{Link("/runs/" + Segment(version.RunId))}\">{version.RunId}</a> <small class=\"text-muted\">step {version.StepId}</small></td>");
            html.Add($"<td>{Badges.Short(version.PipelineVersion)}</td><td><code>{Badges.Short(version.DataHash)}</code></td><td>{Badges.Metrics(version.Metrics)}</td><td>");
            if (writable && (!model.Aliases.TryGetValue(Production, out var current) || current != version.Version))
            {
                html.Add($"<form method=\"post\" action=\"{Link($"/models/{Segment(model.Name)}/promote")}\" class=\"mlops-promote\" onsubmit=\"return confirm('Promote this version to production?')\">{antiforgery!.Input}");
                html.Add($"<input type=\"hidden\" name=\"alias\" value=\"{Production}\"><input type=\"hidden\" name=\"version\" value=\"{version.Version}\">");
                html.Add($"<button type=\"submit\" class=\"btn btn-sm btn-primary\">Promote to {Production}</button></form>");
            }

            html.Add($"</td></tr>");
        }

        html.Add($"</tbody></table>");
    }

    private void RenderHistory(HtmlBuilder html)
    {
        html.Add($"<h3>Alias history</h3>");
        if (model.History.Count == 0)
        {
            html.Add($"<p class=\"text-muted\">No alias was ever set.</p>");
            return;
        }

        html.Add($"<table class=\"table table-condensed mlops-alias-history\"><thead><tr><th>When</th><th>Alias</th><th>From</th><th>To</th><th>By</th><th>Why</th></tr></thead><tbody>");
        foreach (var change in model.History.Reverse())
        {
            html.Add($"<tr><td>{Badges.Time(change.At)}</td><td>{change.Alias}</td><td>{(change.PreviousVersion is { } p ? $"v{p}" : "(unset)")}</td><td>{(change.Removed ? "withdrawn" : $"v{change.Version}")}{(change.Route is { } share ? $" ({share})" : "")}</td><td>{change.By}</td><td>{change.Reason ?? ""}</td></tr>");
        }

        html.Add($"</tbody></table>");
    }
}
