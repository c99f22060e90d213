using System.Globalization;

namespace MlOpsOrchestrator.Bench;

/// <summary>
/// One measured figure: ours, the raw engine's in the same run, their ratio, and the goal it is judged against.
/// A figure that misses its goal says so; nothing is hidden.
/// </summary>
public sealed record Figure(string Key, string Title, double Ours, double? Baseline, string Unit, string Goal, bool Met, string Notes)
{
    public double? Ratio => Baseline is > 0 ? Ours / Baseline : null;

    /// <summary>A row of the results table; with <paramref name="measured"/>, the doc's last column too.</summary>
    public string ToTableRow(string? measured = null) => string.Create(CultureInfo.InvariantCulture,
        $"| {Title} | {Number(Ours)} {Unit} | {(Baseline is { } b ? $"{Number(b)} {Unit}" : "-")} | {(Ratio is { } r ? $"{r:0.00}" : "-")} | {Goal} | {(Met ? "met" : "MISSED")} |{(measured is null ? "" : $" {measured} |")}");

    /// <summary>Three decimals, four below 10 (metrics such as an AUC of 0.9029 must not round to a tie).</summary>
    private static string Number(double value) => value.ToString(Math.Abs(value) < 10 ? "0.####" : "0.###", CultureInfo.InvariantCulture);
}
