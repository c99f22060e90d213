namespace MlOpsOrchestrator.Specs;

/// <summary>Performance on labelled rows of the window, relative to the training-time metric.</summary>
public sealed record PerformanceCheck(string Metric, double MaxIncrease);
