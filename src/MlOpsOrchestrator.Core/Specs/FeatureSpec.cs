namespace MlOpsOrchestrator.Specs;

/// <summary>
/// One feature of a view: an aggregation of <see cref="Column"/> over the entity's events in <see cref="Window"/>
/// before the time asked for. <c>count</c> needs no column; <c>last</c> needs no window (then <c>ttl</c> bounds its age).
/// </summary>
public sealed record FeatureSpec
{
    public required string Name { get; init; }
    public required FeatureAggregation Aggregation { get; init; }
    public string? Column { get; init; }
    public TimeSpan? Window { get; init; }
    public required SourceMark Mark { get; init; }

    /// <summary>True when the value is a count (0 for an entity without events), false when it is missing then.</summary>
    public bool CountsEvents => Aggregation is FeatureAggregation.Count or FeatureAggregation.Sum or FeatureAggregation.DistinctCount;
}
