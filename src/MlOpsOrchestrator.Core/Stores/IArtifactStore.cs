namespace MlOpsOrchestrator.Stores;

/// <summary>
/// Where steps keep what a later step, serving or monitoring reads back: model zips, schemas, profiles, prepared data.
/// Embedded: files under <c>MLOPS_HOME/artifacts</c>. PostgreSQL: chunks in the database, content-addressed, with a
/// bounded local cache per process, so the nodes of a cluster share nothing but the database.
/// </summary>
/// <remarks>
/// Every implementation keeps one guarantee: a reader sees the whole old artifact or the whole new one, never half of
/// one, and a write that fails or is killed leaves nothing visible. Names are relative, <c>/</c>-separated paths
/// (<c>runs/RUN/train/model.zip</c>). Writing and reading are streams; <see cref="PathOf"/> exists because ML.NET and
/// a few parsers take a file path, and hands out a local file that holds the artifact (for a remote store, a read-only
/// copy in the local cache). An object-store adapter (S3-compatible) is one class: put/get an object per name, or per
/// content hash plus a small name table, and a local cache folder for <see cref="PathOf"/>.
/// </remarks>
public interface IArtifactStore
{
    /// <summary>The local folder under which <see cref="PathOf"/> hands out files (the artifacts themselves, or the local cache).</summary>
    string Root { get; }

    /// <summary>
    /// A local file holding <paramref name="relativePath"/>, for an API that needs a path; treat it as read-only. When
    /// the artifact does not exist the returned path names no file. Throws <see cref="ArgumentException"/> for a path
    /// that is rooted, empty or leads outside the store.
    /// </summary>
    string PathOf(string relativePath);

    /// <summary>Writes through <paramref name="write"/> and makes the result visible only once all of it is durable.</summary>
    Task WriteAsync(string relativePath, Func<Stream, CancellationToken, Task> write, CancellationToken ct);

    /// <summary>Atomically places an already written local file at <paramref name="relativePath"/>; the source is kept.</summary>
    Task ImportAsync(string relativePath, string sourceFile, CancellationToken ct);

    bool Exists(string relativePath);

    /// <summary>Reads the artifact as a stream; <see cref="FileNotFoundException"/> when there is none.</summary>
    Task<Stream> OpenReadAsync(string relativePath, CancellationToken ct);

    /// <summary>
    /// The artifacts whose names lie under the folder <paramref name="folder"/> (<c>features/VIEW</c>), at any depth,
    /// ordered by name; a write in progress is not listed. Empty when there are none.
    /// </summary>
    Task<IReadOnlyList<ArtifactEntry>> ListAsync(string folder, CancellationToken ct);

    /// <summary>Removes the artifact (retention): true when deleted, false when there was none.</summary>
    Task<bool> DeleteAsync(string relativePath, CancellationToken ct);
}
