namespace MlOpsOrchestrator.Storage.Artifacts;

/// <summary>The content of a stored artifact: its SHA-256 (lowercase hex) and its length in bytes.</summary>
internal sealed record StoredBlob(string Hash, long Size);
