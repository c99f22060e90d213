using System.Globalization;

namespace MlOpsOrchestrator.Cli.Replay;

/// <summary>The text report: the policy and each baseline side by side, then what the numbers mean.</summary>
internal static class ReplayText
{
    public static void Write(TextWriter output, ReplayReport report)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(report);
        output.WriteLine($"replay of {report.Pipeline}, {Day(report.From)} to {Day(report.To)}: {report.Rows:N0} rows, prequential {report.Metric} (each row scored by the version in production when it arrived, then learned from)");
        var rows = new List<string[]>
        {
            new[] { "", report.Metric, "runs", "retrains", "deploys", "regressive", "no-op fires", "failed", "compute" },
            Row("policy", report.Policy.Value, report.Policy.Runs, report.Policy.Retrains.ToString(CultureInfo.InvariantCulture), report.Policy.Deploys,
                report.Policy.RegressiveDeploys, report.Policy.NoOpFires, report.Policy.FailedRuns, report.Policy.TrainSeconds),
        };
        rows.AddRange(report.Baselines.Select(b => Row(b.Name, b.Value, b.Runs, "-", b.Deploys, b.RegressiveDeploys, b.NoOpFires, b.FailedRuns, b.TrainSeconds)));
        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (var row in rows)
        {
            output.WriteLine(string.Join("  ", row.Select((cell, i) => i == 0 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]))).TrimEnd());
        }

        if (report.Policy.UnscoredRows > 0)
        {
            output.WriteLine($"{report.Policy.UnscoredRows:N0} rows were not scored for the policy (no version in production yet, or a value the model cannot take)");
        }

        WriteReferences(output, report.MonitorReferences);
        output.WriteLine($"{report.Periods.Count} {report.Period}s; 'replay --out DIR' writes replay.json and a chart of {report.Metric} per {report.Period} (replay.svg)");
        output.WriteLine("compute is the real time spent in the runs' steps; regressive: deploys whose version did worse than the one it replaced on the next period's rows");
    }

    private static readonly string[] ReferenceHeader = ["reference", "checks", "drift found", "would retrain", "most often worst"];

    /// <summary>What each monitor reference would have found at the policy's monitor runs, side by side.</summary>
    private static void WriteReferences(TextWriter output, IReadOnlyList<ReplayReferenceView> references)
    {
        if (references.Count == 0 || references.All(r => r.Checks == 0))
        {
            return;
        }

        output.WriteLine($"monitor references, each judging the same window at each of the policy's {references.Max(r => r.Checks)} monitor runs (* the pipeline's own):");
        var rows = new List<string[]> { ReferenceHeader };
        rows.AddRange(references.Select(r => new[]
        {
            r.Reference + (r.Policy ? " *" : ""),
            r.Checks.ToString(CultureInfo.InvariantCulture),
            r.DriftFound.ToString(CultureInfo.InvariantCulture),
            r.WouldRetrain.ToString(CultureInfo.InvariantCulture),
            r.Runs.Where(c => c.DriftFound && c.WorstFeature is not null).GroupBy(c => c.WorstFeature!).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => $"{g.Key} ({g.Count()})").FirstOrDefault() ?? "-",
        }));
        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (var row in rows)
        {
            output.WriteLine(string.Join("  ", row.Select((cell, i) => i == 0 || i == 4 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]))).TrimEnd());
        }
    }

    private static string[] Row(string name, double? value, int runs, string retrains, int deploys, int regressive, int noOps, int failed, double seconds) =>
    [
        name,
        value is { } v ? v.ToString("0.####", CultureInfo.InvariantCulture) : "n/a",
        runs.ToString(CultureInfo.InvariantCulture),
        retrains,
        deploys.ToString(CultureInfo.InvariantCulture),
        regressive.ToString(CultureInfo.InvariantCulture),
        noOps.ToString(CultureInfo.InvariantCulture),
        failed.ToString(CultureInfo.InvariantCulture),
        string.Create(CultureInfo.InvariantCulture, $"{seconds:0.0}s"),
    ];

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
