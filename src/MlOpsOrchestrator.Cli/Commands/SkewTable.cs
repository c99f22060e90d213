using System.Globalization;
using MlOpsOrchestrator.ML.Monitoring;

namespace MlOpsOrchestrator.Cli.Commands;

/// <summary>
/// A skew report as <c>mlops features skew</c> prints it: a header with the version and the requests, then one line
/// per feature (training mean and share missing, served mean and share missing, distance, verdict).
/// </summary>
internal static class SkewTable
{
    public static void Write(TextWriter output, SkewReport report)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{report.Model} v{report.Version}: {report.Requests:N0} request rows logged since {report.Since.UtcDateTime:yyyy-MM-dd HH:mm}Z; skewed above {report.Threshold} or {report.MaxMissingIncrease:0%} more missing"));
        if (report.LeftOut > 0)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {report.LeftOut:N0} logged requests left out: not a JSON object"));
        }

        string[] header = ["feature", "training mean", "missing", "served mean", "missing", "distance", "verdict"];
        var rows = report.Features.Select(f => new[]
        {
            f.Column,
            Number(f.TrainingMean),
            Share(f.TrainingMissing),
            Number(f.ServedMean),
            report.Requests == 0 ? "-" : Share(f.ServedMissing),
            f.Distance is { } d ? $"{f.Statistic} {Number(d)}" : "-",
            report.Requests == 0 ? "no requests" : f.Reason is { } why ? $"SKEW: {why}" : "ok",
        }).ToList();
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        output.WriteLine("  " + string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        foreach (var row in rows)
        {
            output.WriteLine("  " + string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        }
    }

    private static string Number(double? value) => value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "-";

    private static string Share(double value) => value.ToString("0%", CultureInfo.InvariantCulture);
}
