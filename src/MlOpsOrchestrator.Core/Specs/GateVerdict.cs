namespace MlOpsOrchestrator.Specs;

/// <summary>
/// One gate of an <c>evaluate</c> step held against the chosen candidate's metrics and, for a relative gate, the
/// production model's on the same rows: what the step fails on and what the dashboard's gate table shows.
/// </summary>
/// <param name="Gate">The gate as written in the pipeline.</param>
/// <param name="Candidate">The candidate's value of the gate's metric; null when the trainer does not produce it.</param>
/// <param name="Production">The production model's value; null without a production model (or for an absolute gate that has none).</param>
/// <param name="Change">For a relative gate with a production value: <c>(candidate − production) / |production|</c>.</param>
/// <param name="Passed">Whether the gate lets the candidate through (a relative gate passes when there is nothing to compare with).</param>
public sealed record GateVerdict(GateSpec Gate, double? Candidate, double? Production, double? Change, bool Passed)
{
    /// <summary>Each gate of <paramref name="gates"/> judged, in gate order.</summary>
    public static IReadOnlyList<GateVerdict> Judge(
        IReadOnlyList<GateSpec> gates,
        IReadOnlyDictionary<string, double> candidate,
        IReadOnlyDictionary<string, double>? production)
    {
        ArgumentNullException.ThrowIfNull(gates);
        ArgumentNullException.ThrowIfNull(candidate);
        return gates.Select(gate => Judge(gate, candidate, production)).ToList();
    }

    public static GateVerdict Judge(GateSpec gate, IReadOnlyDictionary<string, double> candidate, IReadOnlyDictionary<string, double>? production)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(candidate);
        double? baseline = production is not null && production.TryGetValue(gate.Metric, out var p) ? p : null;
        if (!candidate.TryGetValue(gate.Metric, out var value))
        {
            return new GateVerdict(gate, null, baseline, null, false);
        }

        switch (gate.Kind)
        {
            case GateKind.Min:
                return new GateVerdict(gate, value, baseline, null, value >= gate.Value);
            case GateKind.Max:
                return new GateVerdict(gate, value, baseline, null, value <= gate.Value);
        }

        if (baseline is not { } reference)
        {
            return new GateVerdict(gate, value, null, null, true);
        }

        var change = RelativeChange(value, reference);
        // A hair of tolerance so a change of exactly the allowed ratio is not failed by floating-point rounding.
        var passes = (gate.Kind == GateKind.MaxIncrease ? change : -change) <= gate.Value + 1e-12;
        return new GateVerdict(gate, value, reference, change, passes);
    }

    /// <summary>The gate's kind as the pipeline file writes it.</summary>
    public static string KindName(GateKind kind) => kind switch
    {
        GateKind.Min => "min",
        GateKind.Max => "max",
        GateKind.MaxIncrease => "max_increase",
        _ => "max_decrease",
    };

    private static double RelativeChange(double value, double baseline)
    {
        if (baseline != 0)
        {
            return (value - baseline) / Math.Abs(baseline);
        }

        return value == 0 ? 0 : value > 0 ? double.PositiveInfinity : double.NegativeInfinity;
    }
}
