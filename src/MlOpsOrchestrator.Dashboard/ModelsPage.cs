using System.Globalization;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>
/// Every registered model: its production version with the pipeline's primary metric, the last deploy (who moved
/// production, when), the drift state (the newest monitor verdict of its pipeline), its newest version and aliases.
/// </summary>
internal sealed class ModelsPage(IReadOnlyList<ModelsPage.Item> items) : DashboardPage("Models")
{
    /// <summary>How many of a pipeline's newest succeeded runs are searched for a monitor verdict.</summary>
    public const int MonitorSearch = 20;

    public sealed record Item(string Name, int Versions, int? Newest, IReadOnlyDictionary<string, int> Aliases)
    {
        public ModelVersion? Production { get; init; }
        public string? PrimaryMetric { get; init; }
        public AliasChange? LastDeploy { get; init; }
        public Monitoring? Drift { get; init; }
    }

    /// <summary>The newest monitor verdict of the model's pipeline: the run and step that gave it.</summary>
    public sealed record Monitoring(RunRecord Run, MonitorResult Result);

    public static async Task<DashboardPage> LoadAsync(PageRequest request)
    {
        var services = request.Services;
        var items = new List<Item>();
        foreach (var name in (await services.Registry.ListNamesAsync(request.Aborted)).Order(StringComparer.Ordinal))
        {
            if (await services.Models.GetAsync(name, request.Aborted) is not { } model)
            {
                continue;
            }

            var versions = model.Versions;
            var production = model.Aliases.TryGetValue(ModelPage.Production, out var v) ? versions.FirstOrDefault(x => x.Version == v) : null;
            var source = await services.Runs.GetAsync((production ?? versions[^1]).RunId, request.Aborted);
            items.Add(new Item(name, versions.Count, versions.Max(x => x.Version), model.Aliases)
            {
                Production = production,
                PrimaryMetric = source is null ? null : PrimaryMetric(services, source),
                LastDeploy = ModelPage.LastMove(model.AliasHistory, ModelPage.Production),
                Drift = source is null ? null : await MonitoringAsync(services, source.Pipeline, request.Aborted),
            });
        }

        return new ModelsPage(items);
    }

    /// <summary>The primary metric of the pipeline version that produced the model, else of the pipeline as it is now.</summary>
    private static string? PrimaryMetric(DashboardServices services, RunRecord run)
    {
        var spec = services.Definitions?.Load(run) is { Succeeded: true, Definition: { } definition } ? definition.Spec : services.Catalog?.Find(run.Pipeline)?.Definition?.Spec;
        return spec is null ? null : EvaluateStep.PrimaryOf(spec);
    }

    private static async Task<Monitoring?> MonitoringAsync(DashboardServices services, string pipeline, CancellationToken ct)
    {
        var runs = await services.Runs.FindAsync(new RunQuery { Pipeline = pipeline, Statuses = [RunStatus.Succeeded], Limit = MonitorSearch }, ct);
        foreach (var run in runs)
        {
            var steps = await services.Runs.GetStepsAsync(run.RunId, ct);
            if (steps.Select(s => s.Result).OfType<MonitorResult>().LastOrDefault() is { } result)
            {
                return new Monitoring(run, result);
            }
        }

        return null;
    }

    protected override void Render(HtmlBuilder html)
    {
        html.Add($"<div class=\"row\"><div class=\"col-md-12\"><h1 class=\"page-header\">Models</h1>");
        if (items.Count == 0)
        {
            html.Add($"<div class=\"alert alert-info\">No model is registered yet: a run's <code>deploy</code> step registers one.</div></div></div>");
            return;
        }

        html.Add($"<table class=\"table table-striped mlops-models\"><thead><tr><th>Model</th><th>Production</th><th>Primary metric</th><th>Last deploy</th><th>Drift</th><th>Versions</th><th>Newest</th><th>Aliases</th></tr></thead><tbody>");
        foreach (var item in items)
        {
            var aliases = item.Aliases.Count == 0 ? "—" : string.Join(", ", item.Aliases.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key} → v{a.Value}"));
            html.Add($"<tr data-model=\"{item.Name}\"><td><a href=\"{Link("/models/" + Segment(item.Name))}\">{item.Name}</a></td>");
            html.Add($"<td class=\"mlops-production\">{(item.Production is { } p ? $"v{p.Version}" : "none")}</td><td class=\"mlops-primary\">{Primary(item)}</td>");
            html.Add($"<td class=\"mlops-last-deploy\">{(item.LastDeploy is { } d ? $"v{d.Version} by {d.By}, {Badges.Time(d.At)}" : "—")}</td>");
            html.Add($"<td class=\"mlops-drift-state\">{Drift(item.Drift)}</td>");
            html.Add($"<td>{item.Versions}</td><td>{(item.Newest is { } n ? $"v{n}" : "—")}</td><td>{aliases}</td></tr>");
        }

        html.Add($"</tbody></table></div></div>");
    }

    private static string Primary(Item item)
    {
        if (item.PrimaryMetric is not { } metric)
        {
            return "—";
        }

        return item.Production?.Metrics.TryGetValue(metric, out var value) == true
            ? $"{metric} {value.ToString("0.####", CultureInfo.InvariantCulture)}"
            : $"{metric} (not recorded)";
    }

    private Markup Drift(Monitoring? monitoring)
    {
        if (monitoring is not { Run: var run, Result: var result })
        {
            return HtmlBuilder.Fragment($"<span class=\"text-muted\" data-drift=\"unmonitored\">not monitored</span>");
        }

        var verdict = StepOutputs.VerdictName(result.Verdict);
        var css = result.Verdict == MonitorVerdict.Ok ? "label-success" : "label-warning";
        var worst = result.WorstFeature is { } feature && result.WorstScore is { } score ? $" · worst {feature} {score.ToString("0.####", CultureInfo.InvariantCulture)}" : "";
        return HtmlBuilder.Fragment($"<span class=\"label {css}\" data-drift=\"{verdict}\">{verdict}</span>{worst} · <a href=\"{Link("/runs/" + Segment(run.RunId))}\">{Badges.Time(run.FinishedAt ?? run.CreatedAt)}</a>");
    }
}
