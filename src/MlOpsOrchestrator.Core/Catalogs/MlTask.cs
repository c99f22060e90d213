namespace MlOpsOrchestrator.Catalogs;

/// <summary>The learning task of a <c>train</c> step; it decides which trainers and gate metrics are valid.</summary>
public enum MlTask
{
    Binary,
    Multiclass,
    Regression,
}
