namespace MlOpsOrchestrator.Specs;

/// <summary>Population stability index with fixed bins, or a two-sample Kolmogorov-Smirnov test.</summary>
public enum DriftMethod
{
    Psi,
    Ks,
}
