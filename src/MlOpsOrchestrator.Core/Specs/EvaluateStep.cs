namespace MlOpsOrchestrator.Specs;

public sealed record EvaluateStep : StepSpec
{
    public override StepKind Kind => StepKind.Evaluate;
    public IReadOnlyList<GateSpec> Gates { get; init; } = [];

    /// <summary>The metric that picks the best of several candidates; defaults to the first gate's, then the task's usual one.</summary>
    public string? PrimaryMetric { get; init; }

    /// <summary>
    /// Fewest evaluation rows a candidate must be judged on before it may replace a production model; with fewer it is
    /// registered but not deployed. A metric on a handful of rows is noise, not evidence.
    /// </summary>
    public int MinRows { get; init; } = DefaultMinRows;

    /// <summary>
    /// The built-in floor for automated deploys (on unless <c>safety: false</c>): never worse than production on the same
    /// rows beyond the gate's tolerance, never a regression model with r_squared &lt;= 0, never a classifier at or below
    /// the majority-class baseline.
    /// </summary>
    public bool Safety { get; init; } = true;

    /// <summary>The lineage's held-out rows an incremental run is judged on besides its slice's test rows.</summary>
    public HoldoutSpec Holdout { get; init; } = HoldoutSpec.Default;

    public const int DefaultMinRows = 200;
}
