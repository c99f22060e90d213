using System.Globalization;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>
/// The feature views of the served pipelines' <c>features</c> folder, as <c>mlops features</c> lists them: each view's
/// file, entity, owner and features (aggregation, column, window), the pipelines that use which features, the newest
/// materialization (when, events, source fingerprint, current or not), and a lookup of one entity's values as of a
/// time (<c>?view=&amp;entity=&amp;at=</c>, a GET form like the Runs filters: it reads, never changes anything) through
/// the same code as <c>mlops features get --at</c>.
/// </summary>
internal sealed class FeaturesPage(FeaturesPage.Model model) : DashboardPage("Features")
{
    public sealed record Model(string? Folder, IReadOnlyList<Item> Views, IReadOnlyList<PipelineError> Errors, FeatureQuery? Query = null, Lookup? Result = null);

    public sealed record Item(FeatureViewSpec View, IReadOnlyList<(string Pipeline, IReadOnlyList<string> Features)> Users, FeatureFreshness? Newest);

    public sealed record Lookup(FeatureViewSpec? View, DateTimeOffset At, FeatureLookupResult Values);

    public static async Task<DashboardPage> LoadAsync(PageRequest request)
    {
        var services = request.Services;
        var folder = services.Catalog is { } catalog && services.LoaderOptions is { } options
            ? FeatureFolders.Locate(Path.Combine(catalog.Folder, "pipeline.yaml"), options.FeaturesFolder)
            : null;
        if (folder is null || services.LoaderOptions is null || services.Cron is null)
        {
            return new FeaturesPage(new Model(null, [], []));
        }

        var set = new FeatureViewLoader(services.LoaderOptions, services.Cron).LoadFolder(folder);
        var users = services.Catalog!.Entries
            .Where(e => e.Definition is not null)
            .SelectMany(e => e.Definition!.Spec.Data.Features.Select(f => (Pipeline: e.Definition.Name, Feature: f)))
            .ToList();
        var query = FeatureQuery.Of(request.Query("view"), request.Query("entity"), request.Query("at"), services.Time.GetUtcNow());
        var items = new List<Item>();
        foreach (var view in set.Views)
        {
            var materializations = services.Features is { } store ? await store.MaterializationsAsync(view, request.Aborted) : [];
            var newest = materializations.Count > 0 ? materializations[0] : null;
            var used = users.Where(u => u.Feature.View == view.Name)
                .GroupBy(u => u.Pipeline, StringComparer.Ordinal)
                .Select(g => (g.Key, (IReadOnlyList<string>)[.. g.Select(u => u.Feature.Feature).Distinct(StringComparer.Ordinal)]))
                .ToList();
            items.Add(new Item(view, used, newest));
        }

        Lookup? result = null;
        if (query is { View.Length: > 0 })
        {
            var view = set.Find(query.View);
            result = new Lookup(view, query.At, query.Problem is { } problem ? FeatureLookupResult.Failed(problem)
                : view is null ? FeatureLookupResult.Failed($"unknown feature view '{query.View}'")
                : services.Features is not { } store ? FeatureLookupResult.Failed("this process has no feature store")
                : await store.GetAsync(view, query.Entity, query.At, request.Aborted));
        }

        var errors = set.Results.SelectMany(r => r.Errors).ToList();
        return new FeaturesPage(new Model(folder, items, errors, query, result));
    }

    protected override void Render(HtmlBuilder html)
    {
        html.Add($"<div class=\"row\"><div class=\"col-md-12\"><h1 class=\"page-header\">Features</h1>");
        if (model.Folder is null)
        {
            html.Add($"<div class=\"alert alert-info\">No <code>features</code> folder beside the pipelines this process serves; feature views are described in docs/features.md.</div></div></div>");
            return;
        }

        html.Add($"<p class=\"text-muted\">{model.Views.Count} view(s) in <code>{model.Folder}</code></p>");
        foreach (var error in model.Errors)
        {
            html.Add($"<div class=\"alert alert-danger mlops-feature-error\"><code>{error.ToString()}</code></div>");
        }

        RenderLookup(html);
        foreach (var item in model.Views)
        {
            RenderView(html, item);
        }

        html.Add($"</div></div>");
    }

    private void RenderLookup(HtmlBuilder html)
    {
        var query = model.Query;
        html.Add($"<h3>Value lookup</h3><form method=\"get\" action=\"{Link("/features")}\" class=\"form-inline mlops-feature-lookup\" style=\"margin-bottom:12px\">");
        html.Add($"<select name=\"view\" class=\"form-control input-sm\" aria-label=\"view\">");
        foreach (var item in model.Views)
        {
            var selected = query?.View == item.View.Name ? HtmlBuilder.Fragment($" selected") : HtmlBuilder.Fragment($"");
            html.Add($"<option value=\"{item.View.Name}\"{selected}>{item.View.Name}</option>");
        }

        html.Add($"</select> <input type=\"text\" name=\"entity\" class=\"form-control input-sm\" placeholder=\"entity key (key1,key2 for several)\" aria-label=\"entity\" value=\"{query?.EntityText}\"> ");
        html.Add($"<input type=\"text\" name=\"at\" class=\"form-control input-sm\" placeholder=\"as of (UTC, ISO 8601; default now)\" aria-label=\"at\" value=\"{query?.AtText}\"> ");
        html.Add($"<button type=\"submit\" class=\"btn btn-sm btn-primary\">Look up</button></form>");
        if (model.Result is not { } result)
        {
            return;
        }

        if (result.Values.Values is not { } values)
        {
            html.Add($"<div class=\"alert alert-warning mlops-feature-problem\">{result.Values.Problem}</div>");
            return;
        }

        html.Add($"<p class=\"mlops-feature-as-of\"><strong>{result.View!.Name}</strong> {string.Join(", ", result.View.Entity)} = {string.Join(", ", query!.Entity)} as of {Time(result.At)}");
        html.Add($" <span class=\"text-muted\">(materialization {Short(result.Values.Materialization)}, {result.Values.Events.ToString("N0", CultureInfo.InvariantCulture)} events, {(result.Values.Reused ? "reused" : "materialized now")})</span></p>");
        html.Add($"<table class=\"table table-condensed mlops-feature-values\" style=\"width:auto\"><thead><tr><th>feature</th><th>value</th></tr></thead><tbody>");
        foreach (var (feature, value) in values)
        {
            html.Add($"<tr data-feature=\"{feature}\"><td>{feature}</td><td class=\"mlops-value\">{(value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "(missing)")}</td></tr>");
        }

        html.Add($"</tbody></table>");
    }

    private static void RenderView(HtmlBuilder html, Item item)
    {
        var view = item.View;
        html.Add($"<div class=\"panel panel-default mlops-feature-view\" data-view=\"{view.Name}\"><div class=\"panel-heading\"><strong>{view.Name}</strong> <code>{Path.GetFileName(view.File)}</code>");
        if (view.Owner is { } owner)
        {
            html.Add($" · owner {owner}");
        }

        html.Add($"</div><div class=\"panel-body\">");
        if (view.Description is { } description)
        {
            html.Add($"<p>{description}</p>");
        }

        html.Add($"<p>entity <code>{string.Join(", ", view.Entity)}</code> · timestamp <code>{view.Timestamp ?? "(none)"}</code> · ttl {(view.Ttl is { } ttl ? DurationText.Format(ttl) : "(none)")}");
        html.Add($" · online refresh {view.OnlineRefresh ?? "(none)"}</p>");
        html.Add($"<table class=\"table table-condensed mlops-features\" style=\"width:auto\"><thead><tr><th>feature</th><th>aggregation</th><th>column</th><th>window</th><th>used by</th></tr></thead><tbody>");
        foreach (var feature in view.Features)
        {
            var users = item.Users.Where(u => u.Features.Contains(feature.Name)).Select(u => u.Pipeline).ToList();
            html.Add($"<tr data-feature=\"{feature.Name}\"><td>{feature.Name}</td><td>{Word(feature.Aggregation)}</td><td>{feature.Column ?? "-"}</td>");
            html.Add($"<td>{(feature.Window is { } window ? DurationText.Format(window) : "all time")}</td><td class=\"mlops-used-by\">{(users.Count == 0 ? "-" : string.Join(", ", users))}</td></tr>");
        }

        html.Add($"</tbody></table>");
        html.Add($"<p class=\"mlops-freshness\">");
        if (item.Newest is { } newest)
        {
            var state = newest.Current switch
            {
                true => "current",
                false => "the source changed since (the next run materializes again)",
                null => "checked when a run reads the source",
            };
            html.Add($"materialized {Time(newest.Written)}, {newest.Events.ToString("N0", CultureInfo.InvariantCulture)} events, source fingerprint <code>{Short(newest.Key)}</code>, {state}");
        }
        else
        {
            html.Add($"not materialized yet (the first run that uses it does)");
        }

        html.Add($"</p></div></div>");
    }

    private static string Word(FeatureAggregation aggregation) => aggregation == FeatureAggregation.DistinctCount ? "distinct_count" : aggregation.ToString().ToLowerInvariant();

    private static string Short(string? key) => key is null ? "-" : key[..Math.Min(12, key.Length)];

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
