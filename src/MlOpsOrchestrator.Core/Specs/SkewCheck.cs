namespace MlOpsOrchestrator.Specs;

/// <summary>
/// A <c>monitor</c> step's training/serving skew rule (<c>skew:</c>), for models trained on feature view features: a
/// feature is skewed when the values served for it (the prediction log's <c>view__feature</c> columns) score above
/// <see cref="Threshold"/> against its training distribution, under the step's drift method, or when the share of
/// requests that lacked it grew by more than <see cref="MaxMissingIncrease"/>. Skew is a fault of the pipeline that
/// computes features for serving, not a change in the world: it is reported and alerted, never retrained on.
/// </summary>
public sealed record SkewCheck
{
    /// <summary>The rule a monitor step without <c>skew:</c> applies.</summary>
    public static readonly SkewCheck Default = new();

    public double Threshold { get; init; } = 0.2;

    /// <summary>Served share missing minus training share missing above which a feature is skewed (0.1: ten points).</summary>
    public double MaxMissingIncrease { get; init; } = 0.1;
}
