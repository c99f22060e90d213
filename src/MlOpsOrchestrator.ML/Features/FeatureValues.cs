namespace MlOpsOrchestrator.ML.Features;

/// <summary>
/// One entity's features of a view as of a time (<c>mlops features get</c>): each feature's value, null when missing,
/// and how the view's events were obtained (materialized now, or an earlier materialization reused; <c>online</c> for
/// values read from the online store, with <see cref="Online"/> saying how fresh they are).
/// </summary>
public sealed record FeatureValues(string View, string Entity, DateTimeOffset At, IReadOnlyDictionary<string, double?> Values, bool Reused, string Materialization, long Events)
{
    public OnlineFreshness? Online { get; init; }
}
