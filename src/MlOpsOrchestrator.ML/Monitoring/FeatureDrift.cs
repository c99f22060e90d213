using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Monitoring;

/// <summary>
/// The drift scores of one feature: PSI always, the binned KS statistic for numeric features. Which one is held against
/// the threshold depends on the method: <c>ks</c> uses KS where there is one (numeric) and PSI for categorical features.
/// </summary>
internal sealed record FeatureDrift(string Feature, double Psi, double? Ks, int Values)
{
    public double Score(DriftMethod method) => method == DriftMethod.Ks && Ks is { } ks ? ks : Psi;

    public string Statistic(DriftMethod method) => method == DriftMethod.Ks && Ks is not null ? "KS" : "PSI";
}
