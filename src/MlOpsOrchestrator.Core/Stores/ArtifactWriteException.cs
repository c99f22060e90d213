namespace MlOpsOrchestrator.Stores;

/// <summary>
/// An artifact could not be written (permissions, a missing or read-only folder, a full disk). The message is for the
/// person who runs the pipeline: which artifact, where, why, and what to check; the .NET exception stays as the inner
/// exception, for the log file.
/// </summary>
public sealed class ArtifactWriteException(string artifact, string path, string root, Exception cause)
    : IOException(Describe(artifact, path, root, cause), cause)
{
    /// <summary>The artifact, relative to the artifact root.</summary>
    public string Artifact { get; } = artifact;

    /// <summary>The absolute path that could not be written.</summary>
    public string Path { get; } = path;

    private static string Describe(string artifact, string path, string root, Exception cause)
    {
        var why = cause switch
        {
            UnauthorizedAccessException => "permission denied",
            DirectoryNotFoundException => "its folder cannot be created (a part of the path is missing or is not a folder)",
            PathTooLongException => "the path is too long",
            _ when cause.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase) => "no space left on the device",
            _ when cause.Message.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase) => "the file system is read-only",
            _ => cause.Message,
        };
        return $"cannot write the artifact '{artifact}' to {path}: {why}; check that the artifact folder {root} "
            + "(under MLOPS_HOME, or --home) is a folder this process can write to, on a disk with free space, then resume the run";
    }
}
