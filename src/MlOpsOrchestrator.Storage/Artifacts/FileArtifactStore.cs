using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Storage.Artifacts;

/// <summary>
/// Artifacts as files under one root. A write goes to a hidden temporary file in the target's own folder (so the
/// rename never crosses file systems), is flushed to disk, then renamed over the target: a reader sees the old file or
/// the new one, never half of one, and a failed write leaves no trace.
/// </summary>
internal sealed class FileArtifactStore : IArtifactStore
{
    private const int BufferSize = 81920;

    private static readonly StringComparison PathComparison =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    public FileArtifactStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
    }

    public string Root { get; }

    public string PathOf(string relativePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(relativePath);
        if (Path.IsPathRooted(relativePath))
        {
            throw new ArgumentException($"Artifact path '{relativePath}' must be relative to the artifact root.", nameof(relativePath));
        }

        var full = Path.GetFullPath(Path.Combine(Root, relativePath));
        var inside = Path.EndsInDirectorySeparator(Root) ? Root : Root + Path.DirectorySeparatorChar;
        if (!full.StartsWith(inside, PathComparison) || full.Length == inside.Length)
        {
            throw new ArgumentException($"Artifact path '{relativePath}' leads outside the artifact root {Root}.", nameof(relativePath));
        }

        return full;
    }

    public async Task WriteAsync(string relativePath, Func<Stream, CancellationToken, Task> write, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(write);
        var target = PathOf(relativePath);
        var folder = Path.GetDirectoryName(target)!;
        var temporary = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(folder);
            await WriteDurablyAsync(temporary, write, ct);
            File.Move(temporary, target, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && ex is not ArtifactWriteException)
        {
            TryDelete(temporary);
            throw new ArtifactWriteException(relativePath, target, Root, ex);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    public async Task ImportAsync(string relativePath, string sourceFile, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceFile);
        var source = new FileStream(sourceFile, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);
        await using (source)
        {
            await WriteAsync(relativePath, (target, token) => source.CopyToAsync(target, BufferSize, token), ct);
        }
    }

    public bool Exists(string relativePath) => File.Exists(PathOf(relativePath));

    public Task<Stream> OpenReadAsync(string relativePath, CancellationToken ct) =>
        Task.FromResult<Stream>(new FileStream(PathOf(relativePath), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize, useAsync: true));

    /// <summary>The files under the folder, leaving out the hidden temporary files of writes in progress (or interrupted).</summary>
    public Task<IReadOnlyList<ArtifactEntry>> ListAsync(string folder, CancellationToken ct)
    {
        var path = PathOf(folder);
        if (!Directory.Exists(path))
        {
            return Task.FromResult<IReadOnlyList<ArtifactEntry>>([]);
        }

        IReadOnlyList<ArtifactEntry> entries = [.. Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
            .Select(file => (Name: Path.GetRelativePath(Root, file).Replace(Path.DirectorySeparatorChar, '/'), Info: new FileInfo(file)))
            .Where(f => !IsTemporary(f.Name) && f.Info.Exists) // Exists: a file deleted since the folder was read is left out.
            .Select(f => new ArtifactEntry(f.Name, f.Info.Length, new DateTimeOffset(f.Info.LastWriteTimeUtc, TimeSpan.Zero)))
            .OrderBy(e => e.Path, StringComparer.Ordinal)];
        return Task.FromResult(entries);
    }

    /// <summary>Whether a name is (under) a hidden file or folder: a temporary file of a write, never an artifact.</summary>
    internal static bool IsTemporary(string name) => name.Split('/').Any(segment => segment.StartsWith('.'));

    /// <summary>Deletes the file and the folders it leaves empty (never the root).</summary>
    public Task<bool> DeleteAsync(string relativePath, CancellationToken ct)
    {
        var path = PathOf(relativePath);
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }

        File.Delete(path);
        for (var folder = Path.GetDirectoryName(path); folder is not null && folder.Length > Root.Length && !Directory.EnumerateFileSystemEntries(folder).Any(); folder = Path.GetDirectoryName(folder))
        {
            Directory.Delete(folder);
        }

        return Task.FromResult(true);
    }

    /// <summary>Removes a half-written temporary file; where none could be created there is nothing to remove.</summary>
    private static void TryDelete(string temporary)
    {
        try
        {
            File.Delete(temporary);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The folder itself is missing or unwritable: the temporary file was never made.
        }
    }

    private static async Task WriteDurablyAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken ct)
    {
        var flushed = false;
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
        await using (stream)
        {
            await write(stream, ct);
            if (stream.CanWrite)
            {
                await stream.FlushAsync(ct);
                stream.Flush(flushToDisk: true);
                flushed = true;
            }
        }

        if (!flushed)
        {
            // The writer closed the stream itself (some serializers do); fsync through a second handle.
            using var again = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.None);
            again.Flush(flushToDisk: true);
        }
    }
}
