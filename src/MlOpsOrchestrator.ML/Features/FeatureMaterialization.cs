namespace MlOpsOrchestrator.ML.Features;

/// <summary>A materialization of a view in the artifact store: its key, when it was written, its events, and whether it is of the source as it is now.</summary>
public sealed record FeatureMaterialization(string Key, DateTimeOffset Written, long Events, bool? Current);
