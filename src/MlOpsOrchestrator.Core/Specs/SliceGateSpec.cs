namespace MlOpsOrchestrator.Specs;

/// <summary>
/// A relative gate judged on every slice of <c>evaluate</c>'s <c>slices</c>:
/// <c>slice_gates: { rmse: { max_increase: 0.15, min_rows: 50 } }</c> means no slice with at least
/// <see cref="MinRows"/> rows may be worse than production on the same slice by more than 15 %. Slices with fewer rows
/// are measured and stored but not judged: a metric on a handful of rows is noise.
/// </summary>
/// <param name="Metric">The metric, one of the task's.</param>
/// <param name="Kind"><see cref="GateKind.MaxIncrease"/> or <see cref="GateKind.MaxDecrease"/>.</param>
/// <param name="Value">The allowed relative change (0 or more).</param>
/// <param name="MinRows">Fewest rows a slice needs to be judged.</param>
/// <param name="Mark">Where the gate is written.</param>
public sealed record SliceGateSpec(string Metric, GateKind Kind, double Value, int MinRows, SourceMark Mark)
{
    /// <summary>The <c>min_rows</c> of a slice gate that does not set it.</summary>
    public const int DefaultMinRows = 30;

    /// <summary>The gate as <see cref="GateVerdict"/> judges it, on one slice.</summary>
    public GateSpec AsGate() => new(Metric, Kind, Value, Mark);
}
