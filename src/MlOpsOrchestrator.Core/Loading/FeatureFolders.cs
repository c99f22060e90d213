namespace MlOpsOrchestrator.Loading;

/// <summary>
/// Where the feature views of a pipeline live: the folder given (<c>--features DIR</c>), otherwise a <c>features</c>
/// folder next to the pipeline file or next to its folder (<c>pipelines/</c> and <c>features/</c> side by side).
/// </summary>
public static class FeatureFolders
{
    public static string? Locate(string pipelineFile, string? given)
    {
        if (given is not null)
        {
            return Path.GetFullPath(given);
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(pipelineFile)) ?? ".";
        var beside = Path.Combine(folder, "features");
        if (Directory.Exists(beside))
        {
            return beside;
        }

        var parent = Path.GetDirectoryName(folder);
        return parent is not null && Directory.Exists(Path.Combine(parent, "features")) ? Path.Combine(parent, "features") : null;
    }
}
