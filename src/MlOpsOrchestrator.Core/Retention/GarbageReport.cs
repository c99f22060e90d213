namespace MlOpsOrchestrator.Retention;

/// <summary>What one garbage collection deleted (or, in a dry run, would delete).</summary>
public sealed record GarbageReport
{
    public required bool DryRun { get; init; }

    /// <summary>Model versions: registry name and version, with the run that made it.</summary>
    public required IReadOnlyList<GarbageVersion> Versions { get; init; }

    /// <summary>Runs (with their steps): id, pipeline and when they ended.</summary>
    public required IReadOnlyList<GarbageRun> Runs { get; init; }

    /// <summary>Artifact files, relative to the artifact root.</summary>
    public required IReadOnlyList<string> Artifacts { get; init; }
}

/// <summary>A model version garbage collection deletes.</summary>
public sealed record GarbageVersion(string Model, int Version, string RunId, DateTimeOffset CreatedAt);

/// <summary>A run garbage collection deletes.</summary>
public sealed record GarbageRun(string RunId, string Pipeline, string Status, DateTimeOffset? FinishedAt);
