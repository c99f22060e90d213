namespace MlOpsOrchestrator.Specs;

/// <summary>The kinds of step a pipeline is made of.</summary>
public enum StepKind
{
    DataPrep,
    Train,
    Evaluate,
    Deploy,
    Monitor,
    Retrain,
}
