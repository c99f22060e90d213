using System.Globalization;

namespace MlOpsOrchestrator.Bench;

/// <summary>
/// One measured figure: ours, the raw engine's in the same run, their ratio, and the goal it is judged against.
/// A figure that misses its goal says so; nothing is hidden.
/// </summary>
public sealed record Figure(string Key, string Title, double Ours, double? Baseline, string Unit, string Goal, bool Met, string Notes)
{
    public double? Ratio => Baseline is > 0 ? Ours / Baseline : null;

    public string ToTableRow() => string.Create(CultureInfo.InvariantCulture,
        $"| {Title} | {Ours:0.###} {Unit} | {(Baseline is { } b ? $"{b:0.###} {Unit}" : "-")} | {(Ratio is { } r ? $"{r:0.00}" : "-")} | {Goal} | {(Met ? "met" : "MISSED")} |");
}
