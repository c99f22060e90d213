namespace MlOpsOrchestrator.Stores;

/// <summary>A registered model version with its lineage: which run, which pipeline version, which data, what it scored.</summary>
public sealed record ModelVersion
{
    public required string Name { get; init; }
    public required int Version { get; init; }
    public required string RunId { get; init; }

    /// <summary>The step that registered it; with <see cref="RunId"/> it makes registration idempotent.</summary>
    public required string StepId { get; init; }
    public required string PipelineVersion { get; init; }
    public required string DataHash { get; init; }
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>The model zip, relative to the artifact root.</summary>
    public required string ArtifactPath { get; init; }

    /// <summary>Free-form facts serving and monitoring need (task, trainer, schema and profile artifact paths).</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();
    public required DateTimeOffset CreatedAt { get; init; }
}
