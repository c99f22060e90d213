namespace MlOpsOrchestrator.Specs;

/// <summary>How a feature summarizes an entity's events (<c>agg:</c>).</summary>
public enum FeatureAggregation
{
    Count,
    Sum,
    Mean,
    Min,
    Max,
    Last,
    DistinctCount,
}
