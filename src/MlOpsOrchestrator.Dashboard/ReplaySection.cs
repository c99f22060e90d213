using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>
/// A pipeline's "Last replay": the policy against its baselines (the table of <c>mlops replay</c>) and the per-period
/// chart. The chart is shown as an image from a <c>data:</c> URI, never inlined: an image cannot run script or reach the
/// page, whatever the file in the home holds.
/// </summary>
internal static class ReplaySection
{
    public static void Render(HtmlBuilder html, SavedReplay replay)
    {
        html.Add($"<div class=\"mlops-last-replay\"><h4>Last replay <small>saved {Badges.Time(replay.SavedAt)}</small></h4>");
        if (Parse(replay.Json) is not { } report)
        {
            html.Add($"<div class=\"alert alert-warning\">The saved replay.json cannot be read; run <code>mlops replay FILE --save</code> again.</div></div>");
            return;
        }

        var metric = Text(report["metric"]) ?? "metric";
        html.Add($"<p class=\"text-muted\">{Text(report["from"]) ?? "?"} to {Text(report["to"]) ?? "?"}, prequential {metric}</p>");
        html.Add($"<table class=\"table table-condensed mlops-replay-table\"><thead><tr><th>Schedule</th><th>{metric}</th><th>Runs</th><th>Deploys</th><th>Regressive deploys</th></tr></thead><tbody>");
        Row(html, "policy", report["policy"]);
        foreach (var baseline in report["baselines"] as JsonArray ?? [])
        {
            Row(html, Text(baseline?["name"]) ?? "baseline", baseline);
        }

        html.Add($"</tbody></table>");
        if (replay.Svg is { } svg)
        {
            var source = "data:image/svg+xml;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(svg));
            html.Add($"<p><img class=\"mlops-replay-chart\" alt=\"{metric} per period, one line per schedule\" src=\"{source}\" style=\"max-width:100%\"></p>");
        }

        html.Add($"</div>");
    }

    private static void Row(HtmlBuilder html, string name, JsonNode? track) =>
        html.Add($"<tr><td>{name}</td><td>{Number(track?["value"], "0.####")}</td><td>{Number(track?["runs"], "0")}</td><td>{Number(track?["deploys"], "0")}</td><td>{Number(track?["regressiveDeploys"], "0")}</td></tr>");

    private static JsonObject? Parse(string json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static string Number(JsonNode? node, string format) =>
        node is JsonValue value && value.TryGetValue<double>(out var number)
            ? number.ToString(format, System.Globalization.CultureInfo.InvariantCulture)
            : "—";
}
