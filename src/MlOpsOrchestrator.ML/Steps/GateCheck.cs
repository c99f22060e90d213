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

    public static string KindName(GateKind kind) => GateVerdict.KindName(kind);

    private static string? Check(GateSpec gate, IReadOnlyDictionary<string, double> candidate, IReadOnlyDictionary<string, double>? production)
    {
        var verdict = GateVerdict.Judge(gate, candidate, production);
        if (verdict.Passed)
        {
            return null;
        }

        if (verdict.Candidate is not { } value)
        {
            return $"the candidate has no {gate.Metric} (this trainer does not produce it)";
        }

        return verdict is { Change: { } change, Production: { } baseline }
            ? $"{StepOutcomes.Number(value)} vs production {StepOutcomes.Number(baseline)} ({Percent(change)})"
            : StepOutcomes.Number(value);
    }

    private static string Percent(double change) => double.IsInfinity(change)
        ? (change > 0 ? "+" : "-") + "∞%"
        : (change * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + "%";
}
