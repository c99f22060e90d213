using MlOpsOrchestrator.ML.Tests.Data;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Tests.Steps.Support;

/// <summary>An artifact store in a fresh temp folder (atomic by write-then-rename), removed on dispose.</summary>
internal sealed class FolderArtifactStore : IArtifactStore, IDisposable
{
    public FolderArtifactStore()
    {
        Root = Directory.CreateTempSubdirectory("mlops-ml-steps-").FullName;
    }

    public string Root { get; }

    public List<string> Written { get; } = [];

    public string PathOf(string relativePath)
    {
        var full = Path.GetFullPath(Path.Combine(Root, relativePath));
        return full.StartsWith(Root, StringComparison.Ordinal)
            ? full
            : throw new ArgumentException($"'{relativePath}' escapes the artifact root.", nameof(relativePath));
    }

    public async Task WriteAsync(string relativePath, Func<Stream, CancellationToken, Task> write, CancellationToken ct)
    {
        var target = PathOf(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temporary = target + ".tmp-" + Guid.NewGuid().ToString("N");
        await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
        {
            await write(stream, ct);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, target, overwrite: true);
        lock (Written)
        {
            Written.Add(relativePath);
        }
    }

    public Task ImportAsync(string relativePath, string sourceFile, CancellationToken ct)
    {
        var target = PathOf(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(sourceFile, target, overwrite: true);
        return Task.CompletedTask;
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

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test over.
        }
    }
}
