namespace MlOpsOrchestrator.Storage.Artifacts;

/// <summary>
/// The one spelling of an artifact's name in a database: relative, <c>/</c>-separated, no <c>.</c> or <c>..</c>
/// segments. The same rules as the file store's root check, so a name valid in one mode is valid in the other.
/// </summary>
internal static class ArtifactName
{
    public static string Normalize(string relativePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(relativePath);
        if (Path.IsPathRooted(relativePath) || relativePath.StartsWith('/') || relativePath.StartsWith('\\'))
        {
            throw new ArgumentException($"Artifact path '{relativePath}' must be relative to the artifact root.", nameof(relativePath));
        }

        var segments = new List<string>();
        foreach (var segment in relativePath.Replace('\\', '/').Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (segments.Count == 0)
                {
                    throw new ArgumentException($"Artifact path '{relativePath}' leads outside the artifact root.", nameof(relativePath));
                }

                segments.RemoveAt(segments.Count - 1);
                continue;
            }

            segments.Add(segment);
        }

        return segments.Count == 0
            ? throw new ArgumentException($"Artifact path '{relativePath}' names the artifact root itself, not an artifact.", nameof(relativePath))
            : string.Join('/', segments);
    }
}
