using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Security;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Loading;

/// <summary>The outcome of loading one file: a definition when there are no errors, otherwise every error.</summary>
public sealed record LoadResult(string File, PipelineDefinition? Definition, IReadOnlyList<PipelineError> Errors)
{
    /// <summary>
    /// Scrubs the values this load took from <c>${env:…}</c> out of any message about the pipeline (a run's errors,
    /// logs and progress); it holds the secrets, so it is kept in memory only, never stored.
    /// </summary>
    public SecretRedactor Redactor { get; init; } = SecretRedactor.None;

    public bool Succeeded => Definition is not null && Errors.Count == 0;
}
