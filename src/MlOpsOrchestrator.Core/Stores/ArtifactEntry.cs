namespace MlOpsOrchestrator.Stores;

/// <summary>One stored artifact as a listing shows it: its name (<c>/</c>-separated, relative), its size and when it was written (UTC).</summary>
public sealed record ArtifactEntry(string Path, long Size, DateTimeOffset Written);
