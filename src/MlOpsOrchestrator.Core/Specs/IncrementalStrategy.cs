namespace MlOpsOrchestrator.Specs;

/// <summary>What an incremental run does for a train step: continue the production weights, or retrain on a window.</summary>
public enum IncrementalStrategy
{
    WarmStart,
    Window,
}
