namespace MlOpsOrchestrator.Stores;

/// <summary>
/// Files under <c>MLOPS_HOME/artifacts</c> (a shared mount in a cluster). Writes are atomic: temporary name, fsync,
/// rename, so a reader never sees half a model.
/// </summary>
public interface IArtifactStore
{
    /// <summary>The absolute root folder.</summary>
    string Root { get; }

    /// <summary>The absolute path of <paramref name="relativePath"/> (which must stay inside the root).</summary>
    string PathOf(string relativePath);

    /// <summary>Writes through <paramref name="write"/> to a temporary file, flushes it to disk and renames it into place.</summary>
    Task WriteAsync(string relativePath, Func<Stream, CancellationToken, Task> write, CancellationToken ct);

    /// <summary>Atomically places an already written local file at <paramref name="relativePath"/> (copy, fsync, rename).</summary>
    Task ImportAsync(string relativePath, string sourceFile, CancellationToken ct);

    bool Exists(string relativePath);
}
