namespace MlOpsOrchestrator.Storage;

/// <summary>What <c>mlops migrate-artifacts</c> did: the names it copied into the database and how many were there already.</summary>
public sealed record ArtifactImportReport
{
    /// <summary>The <c>artifacts</c> folder read.</summary>
    public required string Folder { get; init; }

    /// <summary>The artifact names copied by this run, in order.</summary>
    public required IReadOnlyList<string> Imported { get; init; }

    /// <summary>Files whose name was already stored with the same bytes.</summary>
    public required int AlreadyStored { get; init; }
}
