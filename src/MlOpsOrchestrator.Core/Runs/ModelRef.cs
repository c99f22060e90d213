namespace MlOpsOrchestrator.Runs;

/// <summary>A registered model version: registry name and version number.</summary>
public sealed record ModelRef(string Name, int Version);
