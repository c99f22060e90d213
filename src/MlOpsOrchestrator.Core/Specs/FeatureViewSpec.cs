namespace MlOpsOrchestrator.Specs;

/// <summary>
/// A feature view file (<c>kind: feature_view</c>): events of a source, keyed by <see cref="Entity"/> and timed by
/// <see cref="Timestamp"/>, summarized into named features that pipelines use as columns. <see cref="Hash"/> is the
/// definition's content hash: materialized results are keyed by it, so any change to the file recomputes them.
/// </summary>
public sealed record FeatureViewSpec
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    public string? Owner { get; init; }
    public required IReadOnlyList<string> Entity { get; init; }
    public required SourceSpec Source { get; init; }
    public string? Timestamp { get; init; }
    public required IReadOnlyList<FeatureSpec> Features { get; init; }
    public TimeSpan? Ttl { get; init; }

    /// <summary>The Quartz cron of the online store's refresh, or null when the view is offline only.</summary>
    public string? OnlineRefresh { get; init; }

    /// <summary>The file the view was loaded from (absolute).</summary>
    public required string File { get; init; }

    public required string Hash { get; init; }

    public FeatureSpec? Feature(string name) => Features.FirstOrDefault(f => f.Name == name);
}
