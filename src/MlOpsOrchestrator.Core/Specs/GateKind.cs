namespace MlOpsOrchestrator.Specs;

/// <summary>An absolute bound, or a relative change against the production model.</summary>
public enum GateKind
{
    Min,
    Max,
    MaxIncrease,
    MaxDecrease,
}
