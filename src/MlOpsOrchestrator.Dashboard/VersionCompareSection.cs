using System.Globalization;
using MlOpsOrchestrator.Evaluations;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>
/// The model page's "compare versions" section: two versions picked in the query string (<c>?a=1&amp;b=2</c>; by
/// default the version under production, else the one before the newest, against the newest), a table slice by slice
/// (metric, both values, rows, change) worst change of b first, and a bar chart of the changes.
/// </summary>
internal static class VersionCompareSection
{
    /// <summary>What the section shows: the comparison, or why there is none.</summary>
    public sealed record State(int? A, int? B, VersionComparison? Comparison, string? Problem);

    public static async Task<State> LoadAsync(IEvaluationService? evaluations, string model, IReadOnlyList<ModelVersion> versions, IReadOnlyDictionary<string, int> aliases,
        string a, string b, CancellationToken ct)
    {
        if (evaluations is null || versions.Count < 2 && a.Length == 0 && b.Length == 0)
        {
            return new State(null, null, null, versions.Count < 2 ? "one version only: there is nothing to compare yet" : null);
        }

        var newest = versions.Max(v => v.Version);
        var older = aliases.TryGetValue(ModelPage.Production, out var production) && production != newest
            ? production
            : versions.Where(v => v.Version < newest).Select(v => v.Version).DefaultIfEmpty(newest).Max();
        if (!Parse(a, older, out var first) || !Parse(b, newest, out var second))
        {
            return new State(null, null, null, "pick the versions by number, e.g. ?a=1&b=2");
        }

        try
        {
            return new State(first, second, await evaluations.CompareAsync(model, first, second, ct), null);
        }
        catch (EvaluationQueryException ex)
        {
            return new State(first, second, null, ex.Message);
        }
    }

    public static void Render(HtmlBuilder html, string action, IReadOnlyList<ModelVersion> versions, State state)
    {
        html.Add($"<h3 id=\"compare\">Compare versions</h3>");
        if (versions.Count >= 2)
        {
            html.Add($"<form method=\"get\" action=\"{action}#compare\" class=\"form-inline mlops-compare-form\">");
            Select(html, "a", versions, state.A);
            html.Add($" against ");
            Select(html, "b", versions, state.B);
            html.Add($" <button type=\"submit\" class=\"btn btn-sm btn-default\">Compare</button></form>");
        }

        if (state.Problem is { } problem)
        {
            html.Add($"<p class=\"text-muted mlops-compare-empty\">{problem}</p>");
            return;
        }

        if (state.Comparison is not { } comparison)
        {
            return;
        }

        if (comparison.Slices.Count == 0)
        {
            html.Add($"<p class=\"text-muted mlops-compare-empty\">no evaluations of v{comparison.A} or v{comparison.B} are stored (versions registered before the evaluation store have none)</p>");
            return;
        }

        html.Add($"<p class=\"mlops-compare-basis\">{Basis(comparison)}</p>");
        html.Add(SliceBarChart.Render(comparison));
        html.Add($"<table class=\"table table-condensed mlops-compare\"><thead><tr><th>Slice</th><th>Metric</th><th>v{comparison.A}</th><th>Rows</th><th>v{comparison.B}</th><th>Rows</th><th>Change</th></tr></thead><tbody>");
        foreach (var row in comparison.Slices)
        {
            var worse = row.Worsening is > 1e-12;
            html.Add($"<tr class=\"{(worse ? "mlops-worse" : "")}\" data-slice=\"{row.Slice}\" data-metric=\"{row.Metric}\"><td>{SliceText(row)}</td><td>{row.Metric}</td>");
            html.Add($"<td>{Number(row.A)}</td><td>{row.RowsA?.ToString(CultureInfo.InvariantCulture) ?? ""}</td><td>{Number(row.B)}</td><td>{row.RowsB?.ToString(CultureInfo.InvariantCulture) ?? ""}</td>");
            html.Add($"<td class=\"{(worse ? "text-danger" : "text-success")}\">{Percent(row.Change)}{(worse ? " worse" : "")}</td></tr>");
        }

        html.Add($"</tbody></table>");
    }

    public static string SliceText(SliceComparison row) => row.Column == ModelEvaluation.Overall ? "(all rows)" : row.Slice;

    public static string Percent(double? change) => change switch
    {
        null => "",
        { } c when double.IsInfinity(c) => (c > 0 ? "+" : "-") + "∞%",
        { } c => (c * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + "%",
    };

    private static string Basis(VersionComparison comparison) => comparison.RunId is { } run
        ? $"Both measured by run {run} on the same rows (v{comparison.B} as candidate, v{comparison.A} as production). Worst change of v{comparison.B} first."
        : $"No run measured both: each version's newest evaluation (data {Short(comparison.DataHashA)} and {Short(comparison.DataHashB)}). Worst change of v{comparison.B} first.";

    private static string Short(string? hash) => hash is null ? "unknown" : hash[..Math.Min(12, hash.Length)];

    private static string Number(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("0.####", CultureInfo.InvariantCulture) : "";

    private static bool Parse(string text, int fallback, out int version)
    {
        if (text.Length == 0)
        {
            version = fallback;
            return true;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out version);
    }

    private static void Select(HtmlBuilder html, string name, IReadOnlyList<ModelVersion> versions, int? selected)
    {
        html.Add($"<select name=\"{name}\" class=\"form-control input-sm\">");
        foreach (var version in versions.OrderByDescending(v => v.Version))
        {
            html.Add($"<option value=\"{version.Version}\"{(version.Version == selected ? HtmlBuilder.Fragment($" selected") : Markup.Empty)}>v{version.Version}</option>");
        }

        html.Add($"</select>");
    }
}
