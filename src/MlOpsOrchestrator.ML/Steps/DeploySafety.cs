using System.Globalization;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Steps;

/// <summary>
/// Whether a candidate that passed its gates may be deployed, or only registered. Held back (registered, alias not
/// moved) when it would replace production on fewer than <c>min_rows</c> evaluation rows, and, unless
/// <c>safety: false</c>: when it is worse than production on the same rows beyond the tolerance of the pipeline's
/// relative gate on the primary metric (0 without one), a regression model with r_squared &lt;= 0, or a classifier
/// at or below the majority-class baseline. A first model has no production to replace: min_rows and the comparison
/// do not apply to it, the floor does.
/// </summary>
internal static class DeploySafety
{
    /// <summary>Every reason to hold the candidate back, joined by "; ", or null when it may be deployed.</summary>
    public static string? HeldBack(
        EvaluateStep step, MlTask task, string primary, IReadOnlyDictionary<string, double> candidate, ProductionBaseline? production,
        int rows, MajorityBaseline? majority)
    {
        var reasons = new List<string>();
        if (production is not null && rows < step.MinRows)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"only {rows:N0} test rows (min_rows {step.MinRows:N0})"));
        }

        if (step.Safety)
        {
            if (task == MlTask.Regression && candidate.TryGetValue("r_squared", out var r2) && r2 <= 0)
            {
                reasons.Add($"r_squared {StepOutcomes.Number(r2)} <= 0 (no better than always predicting the mean)");
            }

            var accuracy = task == MlTask.Multiclass ? "micro_accuracy" : "accuracy";
            if (task != MlTask.Regression && majority is not null && candidate.TryGetValue(accuracy, out var value) && value <= majority.Accuracy + 1e-12)
            {
                reasons.Add($"{accuracy} {StepOutcomes.Number(value)} <= majority-class baseline {StepOutcomes.Number(majority.Accuracy)} (always '{majority.Class}')");
            }

            if (production?.Metrics is { } baseline && Worse(step, primary, candidate, baseline, rows) is { } worse)
            {
                reasons.Add(worse);
            }
        }

        return reasons.Count == 0 ? null : string.Join("; ", reasons);
    }

    /// <summary>
    /// The candidate against production on the primary metric. A relative gate on it already failed the step when it was
    /// broken, so the safety adds only the case without one: no worse at all.
    /// </summary>
    private static string? Worse(EvaluateStep step, string primary, IReadOnlyDictionary<string, double> candidate, IReadOnlyDictionary<string, double> production, int rows)
    {
        var higher = Metrics.HigherIsBetter(primary);
        var relative = higher ? GateKind.MaxDecrease : GateKind.MaxIncrease;
        if (step.Gates.Any(g => g.Metric == primary && g.Kind == relative)
            || !candidate.TryGetValue(primary, out var value) || !production.TryGetValue(primary, out var baseline))
        {
            return null;
        }

        var worse = higher ? value < baseline - 1e-12 : value > baseline + 1e-12;
        return worse
            ? string.Create(CultureInfo.InvariantCulture, $"{primary} {StepOutcomes.Number(value)} is worse than production's {StepOutcomes.Number(baseline)} on the same {rows:N0} rows (without a relative gate on {primary}, safety allows no worsening)")
            : null;
    }
}
