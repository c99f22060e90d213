namespace MlOpsOrchestrator.Specs;

public sealed record EvaluateStep : StepSpec
{
    public override StepKind Kind => StepKind.Evaluate;
    public IReadOnlyList<GateSpec> Gates { get; init; } = [];

    /// <summary>The metric that picks the best of several candidates; defaults to the first gate's, then the task's usual one.</summary>
    public string? PrimaryMetric { get; init; }

    /// <summary>The metric that picks the candidate for a <paramref name="task"/>: <see cref="PrimaryMetric"/>, else the first gate's, else the task's usual one.</summary>
    public string PrimaryFor(Catalogs.MlTask task) => PrimaryMetric ?? (Gates.Count > 0 ? Gates[0].Metric : Catalogs.Metrics.Default(task));

    /// <summary>
    /// The primary metric of <paramref name="spec"/>'s first evaluate step, for the task of the train steps it judges;
    /// null without an evaluate step or a train step to take the task from.
    /// </summary>
    public static string? PrimaryOf(PipelineSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Steps.OfType<EvaluateStep>().FirstOrDefault() is not { } evaluate)
        {
            return null;
        }

        var train = evaluate.Needs.Select(spec.Step).OfType<TrainStep>().FirstOrDefault() ?? spec.Steps.OfType<TrainStep>().FirstOrDefault();
        return train is null ? evaluate.PrimaryMetric : evaluate.PrimaryFor(train.Task);
    }

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

    /// <summary>The slices the evaluation rows are cut into; every model is measured on each (empty: none).</summary>
    public IReadOnlyList<SliceSpec> Slices { get; init; } = [];

    /// <summary>Relative gates judged on every slice with enough rows (<c>slice_gates</c>).</summary>
    public IReadOnlyList<SliceGateSpec> SliceGates { get; init; } = [];

    public const int DefaultMinRows = 200;
}
