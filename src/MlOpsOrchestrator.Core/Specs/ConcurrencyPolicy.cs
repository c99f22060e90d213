namespace MlOpsOrchestrator.Specs;

/// <summary>What a fire does while a run of the pipeline is active: skip it (recorded) or queue it.</summary>
public enum ConcurrencyPolicy
{
    Skip,
    Queue,
}
