namespace MlOpsOrchestrator.ML.Monitoring;

/// <summary>
/// The skew check of one model version over the requests logged since <see cref="Since"/>: one entry per feature view
/// feature the version holds, in the order of its prepared schema.
/// </summary>
public sealed record SkewReport(string Model, int Version, DateTimeOffset Since, int Requests, int LeftOut, double Threshold, double MaxMissingIncrease, IReadOnlyList<FeatureSkew> Features)
{
    public IReadOnlyList<FeatureSkew> Skewed => [.. Features.Where(f => f.Skewed)];
}
