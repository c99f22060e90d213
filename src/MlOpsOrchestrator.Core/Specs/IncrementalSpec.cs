namespace MlOpsOrchestrator.Specs;

/// <summary>What <c>mode: incremental</c> does for a train step.</summary>
public sealed record IncrementalSpec(IncrementalStrategy Strategy, TimeSpan? Window);
