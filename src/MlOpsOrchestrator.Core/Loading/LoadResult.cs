using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Loading;

/// <summary>The outcome of loading one file: a definition when there are no errors, otherwise every error.</summary>
public sealed record LoadResult(string File, PipelineDefinition? Definition, IReadOnlyList<PipelineError> Errors)
{
    public bool Succeeded => Definition is not null && Errors.Count == 0;
}
