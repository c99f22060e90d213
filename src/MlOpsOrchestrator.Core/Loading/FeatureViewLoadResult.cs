using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Loading;

/// <summary>The outcome of loading one feature view file: the view when it has no errors, otherwise every error.</summary>
public sealed record FeatureViewLoadResult(string File, FeatureViewSpec? View, IReadOnlyList<PipelineError> Errors)
{
    public bool Succeeded => View is not null && Errors.Count == 0;
}
