namespace MlOpsOrchestrator.Storage.Artifacts;

/// <summary>
/// A process's local copies of database artifacts, named by content hash (<c>ab/abcdef….zip</c>), so a copy is never
/// stale: a name that now holds other bytes leads to another file. Bounded: once the files add up to more than
/// <see cref="MaxBytes"/>, the least recently used go, except those used within the last minute (a reader may be about
/// to open them). Files arrive by rename from <c>tmp/</c>, so a copy is whole or absent.
/// </summary>
internal sealed class ArtifactCache
{
    private static readonly TimeSpan RecentlyUsed = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private long _bytes = -1;

    public ArtifactCache(string root, long maxBytes, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        MaxBytes = maxBytes;
        _time = time;
    }

    public string Root { get; }

    public long MaxBytes { get; }

    private string Temporary => Path.Combine(Root, "tmp");

    /// <summary>Where the copy of <paramref name="hash"/> lives (whether or not it is there); the name's extension is kept for people who look.</summary>
    public string PathFor(string hash, string name) => Path.Combine(Root, hash[..2], hash + Path.GetExtension(name));

    /// <summary>A path in the cache that holds no file, for an artifact that does not exist.</summary>
    public string Missing(string name) => Path.Combine(Root, "missing", name.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>The local copy of <paramref name="hash"/>, marked as just used, or null.</summary>
    public string? Find(string hash, string name)
    {
        var path = PathFor(hash, name);
        try
        {
            File.SetLastAccessTimeUtc(path, _time.GetUtcNow().UtcDateTime);
            return path;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>A fresh name in the cache's own temporary folder (same file system as the copies, so the rename is atomic).</summary>
    public string NewTemporary()
    {
        Directory.CreateDirectory(Temporary);
        return Path.Combine(Temporary, $"{Guid.NewGuid():N}.tmp");
    }

    /// <summary>Moves a whole temporary file into place as the copy of <paramref name="hash"/>, then trims the cache.</summary>
    public string Adopt(string temporary, string hash, string name)
    {
        var path = PathFor(hash, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var size = new FileInfo(temporary).Length;
        File.Move(temporary, path, overwrite: true);
        File.SetLastAccessTimeUtc(path, _time.GetUtcNow().UtcDateTime);
        Trim(path, size);
        return path;
    }

    private void Trim(string keep, long added)
    {
        lock (_gate)
        {
            _bytes = _bytes < 0 ? Measure().Sum(f => f.Length) : _bytes + added;
            if (_bytes <= MaxBytes)
            {
                return;
            }

            var files = Measure().OrderBy(f => f.LastAccessTimeUtc).ToList();
            _bytes = files.Sum(f => f.Length);
            var recent = _time.GetUtcNow().UtcDateTime - RecentlyUsed;
            foreach (var file in files)
            {
                if (_bytes <= MaxBytes)
                {
                    break;
                }

                if (file.FullName == keep || file.LastAccessTimeUtc > recent)
                {
                    continue;
                }

                var length = file.Length;
                try
                {
                    file.Delete();
                    _bytes -= length;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Another process of the same home removed it first, or holds it on a system that locks open files.
                }
            }
        }
    }

    private IEnumerable<FileInfo> Measure()
    {
        var root = new DirectoryInfo(Root);
        if (!root.Exists)
        {
            return [];
        }

        return root.EnumerateDirectories()
            .Where(d => d.Name.Length == 2)
            .SelectMany(d => d.EnumerateFiles());
    }
}
