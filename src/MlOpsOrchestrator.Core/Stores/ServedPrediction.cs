namespace MlOpsOrchestrator.Stores;

/// <summary>One logged answer as traffic: which alias and version answered, whether it was a shadow's, how fast.</summary>
public readonly record struct ServedPrediction(string Alias, int Version, bool Shadow, double LatencyMilliseconds);
