using System.Globalization;

namespace MlOpsOrchestrator.Bench;

/// <summary>Nearest-rank percentiles of a sample, and the formatting the benchmarks' notes share.</summary>
internal static class Percentiles
{
    /// <summary>The nearest-rank <paramref name="percent"/>th percentile (p50 of 200 values is the 100th smallest, p99 the 198th).</summary>
    public static double Of(IReadOnlyCollection<double> values, double percent)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    public static double Median(IReadOnlyCollection<double> values) => Of(values, 50);

    public static string Format(double value, string format = "0.##") => value.ToString(format, CultureInfo.InvariantCulture);

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>The 1-, 5- and 15-minute load averages, so a figure taken on a busy machine says so.</summary>
    public static string LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"{parts[0]} {parts[1]} {parts[2]}";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unknown";
        }
    }
}
