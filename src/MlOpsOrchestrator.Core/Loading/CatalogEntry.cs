using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Loading;

/// <summary>
/// One pipeline file as the running service knows it: the last valid definition (still scheduled while the file is
/// broken) and the current errors, if any, to show on the dashboard.
/// </summary>
public sealed record CatalogEntry(
    string File,
    PipelineDefinition? Definition,
    string? Yaml,
    IReadOnlyList<PipelineError> Errors,
    DateTimeOffset LoadedAt)
{
    public string? Name => Definition?.Name;
}
