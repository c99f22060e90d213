using System.Globalization;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Steps;

/// <summary>
/// Evaluates every gate of an <c>evaluate</c> step and describes each failure, e.g.
/// <c>gate rmse max_increase 0.05 failed: 4.31 vs production 3.90 (+10.5%)</c>. Relative gates compare with the
/// production model on the same test set, as <c>(candidate − production) / |production|</c>, and pass when there is
/// no production model.
/// </summary>
internal static class GateCheck
{
    /// <summary>One line per failed gate, in gate order; empty when all pass.</summary>
    public static IReadOnlyList<string> Failures(
        IReadOnlyList<GateSpec> gates,
        IReadOnlyDictionary<string, double> candidate,
        IReadOnlyDictionary<string, double>? production)
    {
        ArgumentNullException.ThrowIfNull(gates);
        ArgumentNullException.ThrowIfNull(candidate);
        var failures = new List<string>();
        foreach (var gate in gates)
        {
            if (Check(gate, candidate, production) is { } failure)
            {
                failures.Add($"gate {gate.Metric} {KindName(gate.Kind)} {gate.Value.ToString("G", CultureInfo.InvariantCulture)} failed: {failure}");
            }
        }

        return failures;
    }

    /// <summary>
    /// True when every gate that fails is a relative one (<c>max_increase</c>, <c>max_decrease</c>, judged against
    /// production), and at least one fails: the candidate is only not better enough than what serves now.
    /// </summary>
    public static bool OnlyRelativeFail(
        IReadOnlyList<GateSpec> gates,
        IReadOnlyDictionary<string, double> candidate,
        IReadOnlyDictionary<string, double>? production)
    {
        ArgumentNullException.ThrowIfNull(gates);
        var failed = gates.Where(g => Check(g, candidate, production) is not null).ToList();
        return failed.Count > 0 && failed.All(g => g.Kind is GateKind.MaxIncrease or GateKind.MaxDecrease);
    }

    public static string KindName(GateKind kind) => kind switch
    {
        GateKind.Min => "min",
        GateKind.Max => "max",
        GateKind.MaxIncrease => "max_increase",
        _ => "max_decrease",
    };

    private static string? Check(GateSpec gate, IReadOnlyDictionary<string, double> candidate, IReadOnlyDictionary<string, double>? production)
    {
        if (!candidate.TryGetValue(gate.Metric, out var value))
        {
            return $"the candidate has no {gate.Metric} (this trainer does not produce it)";
        }

        switch (gate.Kind)
        {
            case GateKind.Min:
                return value >= gate.Value ? null : StepOutcomes.Number(value);
            case GateKind.Max:
                return value <= gate.Value ? null : StepOutcomes.Number(value);
        }

        if (production is null || !production.TryGetValue(gate.Metric, out var baseline))
        {
            return null;
        }

        var change = RelativeChange(value, baseline);
        // A hair of tolerance so a change of exactly the allowed ratio is not failed by floating-point rounding.
        var passes = (gate.Kind == GateKind.MaxIncrease ? change : -change) <= gate.Value + 1e-12;
        return passes ? null : $"{StepOutcomes.Number(value)} vs production {StepOutcomes.Number(baseline)} ({Percent(change)})";
    }

    private static double RelativeChange(double value, double baseline)
    {
        if (baseline != 0)
        {
            return (value - baseline) / Math.Abs(baseline);
        }

        return value == 0 ? 0 : value > 0 ? double.PositiveInfinity : double.NegativeInfinity;
    }

    private static string Percent(double change) => double.IsInfinity(change)
        ? (change > 0 ? "+" : "-") + "∞%"
        : (change * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + "%";
}
