namespace MlOpsOrchestrator.Dashboard;

/// <summary>Every registered model with its newest version and where its aliases point.</summary>
internal sealed class ModelsPage(IReadOnlyList<ModelsPage.Item> items) : DashboardPage("Models")
{
    public sealed record Item(string Name, int Versions, int? Newest, IReadOnlyDictionary<string, int> Aliases);

    public static async Task<DashboardPage> LoadAsync(PageRequest request)
    {
        var registry = request.Services.Registry;
        var items = new List<Item>();
        foreach (var name in await registry.ListNamesAsync(request.Aborted))
        {
            var versions = await registry.ListVersionsAsync(name, request.Aborted);
            var aliases = await registry.GetAliasesAsync(name, request.Aborted);
            items.Add(new Item(name, versions.Count, versions.Count == 0 ? null : versions.Max(v => v.Version), aliases));
        }

        return new ModelsPage(items);
    }

    protected override void Render(HtmlBuilder html)
    {
        html.Add($"<div class=\"row\"><div class=\"col-md-12\"><h1 class=\"page-header\">Models</h1>");
        if (items.Count == 0)
        {
            html.Add($"<div class=\"alert alert-info\">No model is registered yet: a run's <code>deploy</code> step registers one.</div></div></div>");
            return;
        }

        html.Add($"<table class=\"table table-striped mlops-models\"><thead><tr><th>Model</th><th>Versions</th><th>Newest</th><th>Aliases</th></tr></thead><tbody>");
        foreach (var item in items)
        {
            var aliases = item.Aliases.Count == 0 ? "—" : string.Join(", ", item.Aliases.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key} → v{a.Value}"));
            html.Add($"<tr><td><a href=\"{Link("/models/" + Segment(item.Name))}\">{item.Name}</a></td><td>{item.Versions}</td><td>{(item.Newest is { } n ? $"v{n}" : "—")}</td><td>{aliases}</td></tr>");
        }

        html.Add($"</tbody></table></div></div>");
    }
}
