using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace MlOpsOrchestrator.Bench;

/// <summary>
/// Rewrites the results section of docs/benchmarks.md (between <see cref="Begin"/> and <see cref="End"/>) from
/// bench/results/latest.json, so the table and the per-figure details in the doc are always those of the last
/// recorded run: the machine, when each benchmark last ran, how long the last full rerun took, every figure with its
/// verdict (misses shown as misses), and what each figure's run measured in detail.
/// </summary>
public static class BenchmarksDoc
{
    public const string Begin = "<!-- results: written by the bench harness from bench/results/latest.json; do not edit by hand -->";
    public const string End = "<!-- /results -->";

    /// <summary>docs/benchmarks.md beside bench/results/latest.json.</summary>
    public static string DefaultPath(string resultsPath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(resultsPath)!)!)!, "docs", "benchmarks.md");

    /// <summary>Replaces the results section of <paramref name="docPath"/>; false (and nothing written) when it has none.</summary>
    public static bool Rewrite(string docPath, string resultsPath)
    {
        if (!File.Exists(docPath) || !File.Exists(resultsPath))
        {
            return false;
        }

        var doc = File.ReadAllText(docPath);
        var begin = doc.IndexOf(Begin, StringComparison.Ordinal);
        var end = doc.IndexOf(End, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            return false;
        }

        var section = Render(JsonNode.Parse(File.ReadAllText(resultsPath))!.AsObject());
        File.WriteAllText(docPath, doc[..(begin + Begin.Length)] + "\n" + section + doc[end..]);
        return true;
    }

    /// <summary>The results section: machine and run line, the table, then every figure's details.</summary>
    public static string Render(JsonObject results)
    {
        var text = new StringBuilder();
        if (results["machine"] is JsonObject machine)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"Recorded on {machine["cores"]} cores, {machine["os"]}, {machine["runtime"]}.");
        }

        if (results["fullRun"] is JsonObject run)
        {
            text.Append(CultureInfo.InvariantCulture,
                $" Last full rerun (`dotnet run --project bench/MlOpsOrchestrator.Bench -c Release`, every benchmark): started {run["startedAt"]}, {Minutes(run["seconds"]!.GetValue<double>())}.");
        }

        text.Append("\n\n| figure | ours | baseline (same run) | ratio | goal | verdict | measured |\n| --- | --- | --- | --- | --- | --- | --- |\n");
        var figures = (results["figures"] as JsonObject ?? []).Select(f => (Key: f.Key, Figure: f.Value!.AsObject())).ToList();
        foreach (var (key, figure) in figures)
        {
            text.Append(Row(key, figure)).Append('\n');
        }

        text.Append("\nWhat each run measured, as recorded with its figures:\n\n");
        foreach (var (key, figure) in figures)
        {
            text.Append(CultureInfo.InvariantCulture, $"- `{key}`: {figure["notes"]}\n");
        }

        return text.ToString();
    }

    /// <summary>One table row: the recorded figure as <see cref="Figure.ToTableRow"/> writes it, and when it was measured.</summary>
    public static string Row(string key, JsonObject figure)
    {
        var measured = DateTimeOffset.TryParse((string?)figure["measuredAt"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)
            : "-";
        var recorded = new Figure(
            key, (string?)figure["title"] ?? key, figure["ours"]!.GetValue<double>(), figure["baseline"]?.GetValue<double>(),
            (string?)figure["unit"] ?? "", (string?)figure["goal"] ?? "", (bool?)figure["met"] == true, (string?)figure["notes"] ?? "");
        return recorded.ToTableRow(measured);
    }

    private static string Minutes(double seconds) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)(seconds / 60)} min {seconds % 60:0} s");
}
