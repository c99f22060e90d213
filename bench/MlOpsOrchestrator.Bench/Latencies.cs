using System.Globalization;

namespace MlOpsOrchestrator.Bench;

/// <summary>Percentiles by nearest rank over a sample of durations in milliseconds.</summary>
internal sealed class Latencies
{
    private readonly List<double> _sorted;

    public Latencies(IEnumerable<double> milliseconds)
    {
        _sorted = [.. milliseconds];
        _sorted.Sort();
    }

    public int Count => _sorted.Count;

    public double P50 => Percentile(50);

    public double P99 => Percentile(99);

    public double Max => _sorted.Count == 0 ? double.NaN : _sorted[^1];

    public double Percentile(double p)
    {
        if (_sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p / 100 * _sorted.Count);
        return _sorted[Math.Clamp(rank - 1, 0, _sorted.Count - 1)];
    }

    /// <summary><c>p50 12 ms, p99 80 ms, max 95 ms</c>.</summary>
    public string Describe() => Count == 0
        ? "no samples"
        : string.Create(CultureInfo.InvariantCulture, $"p50 {P50:0} ms, p99 {P99:0} ms, max {Max:0} ms");
}
