using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Tests.Data;

/// <summary>A test-only <see cref="IArtifactStore"/> over a folder: write to a temporary name, flush, rename.</summary>
internal sealed class TempArtifactStore(string root) : IArtifactStore
{
    public string Root { get; } = Path.GetFullPath(root);

    public List<string> Written { get; } = [];

    public string PathOf(string relativePath)
    {
        var full = Path.GetFullPath(Path.Combine(Root, relativePath));
        if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{relativePath}' escapes the artifact root", nameof(relativePath));
        }

        return full;
    }

    public async Task WriteAsync(string relativePath, Func<Stream, CancellationToken, Task> write, CancellationToken ct)
    {
        var target = PathOf(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temporary = $"{target}.{Guid.NewGuid():N}.tmp";
        await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite))
        {
            await write(stream, ct);
            await stream.FlushAsync(ct);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, target, overwrite: true);
        Written.Add(relativePath);
    }

    public async Task ImportAsync(string relativePath, string sourceFile, CancellationToken ct)
    {
        await using var source = File.OpenRead(sourceFile);
        await WriteAsync(relativePath, (stream, token) => source.CopyToAsync(stream, token), ct);
    }

    public bool Exists(string relativePath) => File.Exists(PathOf(relativePath));

    public Task<Stream> OpenReadAsync(string relativePath, CancellationToken ct) => Task.FromResult<Stream>(File.OpenRead(PathOf(relativePath)));

    public Task<IReadOnlyList<ArtifactEntry>> ListAsync(string folder, CancellationToken ct) => FolderListing.ListAsync(Root, folder);

    public Task<bool> DeleteAsync(string relativePath, CancellationToken ct)
    {
        var path = PathOf(relativePath);
        var existed = File.Exists(path);
        File.Delete(path);
        return Task.FromResult(existed);
    }
}
