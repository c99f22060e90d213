using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Tests.Data;

/// <summary>The listing of the test artifact stores over a folder: every file under it but temporary ones (<c>*.tmp</c>), ordered by name.</summary>
internal static class FolderListing
{
    public static Task<IReadOnlyList<ArtifactEntry>> ListAsync(string root, string folder)
    {
        var path = Path.Combine(root, folder);
        IReadOnlyList<ArtifactEntry> entries = !Directory.Exists(path)
            ? []
            : [.. Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .Where(f => !f.EndsWith(".tmp", StringComparison.Ordinal))
                .Select(f => new FileInfo(f))
                .Select(i => new ArtifactEntry(Path.GetRelativePath(root, i.FullName).Replace(Path.DirectorySeparatorChar, '/'), i.Length, new DateTimeOffset(i.LastWriteTimeUtc, TimeSpan.Zero)))
                .OrderBy(e => e.Path, StringComparer.Ordinal)];
        return Task.FromResult(entries);
    }
}
