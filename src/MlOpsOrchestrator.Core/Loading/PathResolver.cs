namespace MlOpsOrchestrator.Loading;

/// <summary>
/// Resolves data paths relative to the pipeline file and keeps them inside the data root, following symbolic links
/// so that a link cannot smuggle a path out of it.
/// </summary>
internal static class PathResolver
{
    /// <summary>The resolved absolute path, or null with <paramref name="problem"/> saying why it is not allowed.</summary>
    public static string? Resolve(string yamlFile, string relative, string dataRoot, out string? problem)
    {
        try
        {
            return ResolveChecked(yamlFile, relative, dataRoot, out problem);
        }
        catch (ArgumentException)
        {
            problem = $"path '{relative}' contains characters that are not allowed in a path";
            return null;
        }
        catch (IOException ex)
        {
            problem = $"path '{relative}' cannot be resolved ({ex.Message.TrimEnd('.')}); check for a symbolic link loop";
            return null;
        }
    }

    private static string? ResolveChecked(string yamlFile, string relative, string dataRoot, out string? problem)
    {
        problem = null;
        var baseDir = Path.GetDirectoryName(Path.GetFullPath(yamlFile)) ?? Directory.GetCurrentDirectory();
        var full = Path.GetFullPath(Path.Combine(baseDir, relative));
        var root = Real(Path.GetFullPath(dataRoot));
        var real = Real(full);
        if (!IsInside(Path.GetFullPath(full), Path.GetFullPath(dataRoot)) && !IsInside(full, root))
        {
            problem = $"path '{relative}' resolves to '{full}', outside the data root '{dataRoot}'; keep data under the data root or set --data-root / MLOPS_DATA_ROOT";
            return null;
        }

        if (!IsInside(real, root))
        {
            problem = $"path '{relative}' is a symbolic link to '{real}', outside the data root '{dataRoot}'";
            return null;
        }

        return full;
    }

    private static bool IsInside(string path, string root)
    {
        var trimmedRoot = root.TrimEnd(Path.DirectorySeparatorChar);
        return path == trimmedRoot || path.StartsWith(trimmedRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    /// <summary>The path with every symbolic link along it resolved (what realpath(3) gives for the parts that exist).</summary>
    private static string Real(string path)
    {
        var root = Path.GetPathRoot(path) ?? "/";
        var current = root;
        foreach (var part in path[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.Exists && info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                next = target is null ? next : Real(target.FullName);
            }

            current = next;
        }

        return current;
    }
}
