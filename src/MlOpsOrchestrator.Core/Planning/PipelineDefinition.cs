using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Planning;

/// <summary>
/// A valid pipeline as the rest of the product sees it: immutable, identified by the SHA-256 of its normalised
/// content (so every run records exactly what ran), with its plan and maturity level computed once.
/// </summary>
public sealed record PipelineDefinition
{
    public required PipelineSpec Spec { get; init; }

    /// <summary>The file it was loaded from, absolute.</summary>
    public required string SourceFile { get; init; }

    /// <summary>Lowercase hex SHA-256 of the normalised YAML content.</summary>
    public required string Version { get; init; }
    public required MaturityAssessment Maturity { get; init; }

    public string Name => Spec.Name;

    public StepGraph Graph() => new(Spec.Steps);
}
