namespace MlOpsOrchestrator.Specs;

/// <summary>
/// Which of the lineage's held-out rows an incremental run's candidate is also judged on (<c>evaluate.holdout</c>):
/// the newest <see cref="Fraction"/> of the last full run's span (<c>0.2</c>, <c>20%</c>), or the newest
/// <see cref="Duration"/> of it (<c>7d</c>). Exactly one is set.
/// </summary>
public sealed record HoldoutSpec(double? Fraction, TimeSpan? Duration)
{
    /// <summary>The default: the newest 20 % of the last full run's span.</summary>
    public static HoldoutSpec Default { get; } = new(0.2, null);
}
