namespace MlOpsOrchestrator.Specs;

/// <summary>When a retrain step fires its trigger: on a drift verdict, or always.</summary>
public enum RetrainWhen
{
    Drift,
    Always,
}
