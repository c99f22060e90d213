namespace MlOpsOrchestrator.Stores;

/// <summary>
/// One materialization of a view: its key (the hash of the view's definition and its source data, which names the
/// source as it was read), when it was written, its events, and whether it is of the source as it is now (null when
/// that is known only by reading the source: a <c>postgres</c> source).
/// </summary>
public sealed record FeatureFreshness(string Key, DateTimeOffset Written, long Events, bool? Current);
