namespace MlOpsOrchestrator.Specs;

/// <summary>How the test set is cut: a seeded random sample, or the newest rows.</summary>
public enum SplitBy
{
    Random,
    Time,
}
