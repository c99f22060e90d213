namespace MlOpsOrchestrator.Stores;

/// <summary>The last replay report saved for a pipeline: <c>replay.json</c> as <c>mlops replay --json</c> prints it, and its chart.</summary>
/// <param name="Json">The report.</param>
/// <param name="Svg">The per-period chart, or null when only the report is there.</param>
/// <param name="SavedAt">When the report was written.</param>
public sealed record SavedReplay(string Json, string? Svg, DateTimeOffset SavedAt);
