using NUnit.Framework;

namespace MlOpsOrchestrator.TestSupport;

/// <summary>
/// Finds the repository root from wherever the test assembly was built, so tests can read files that live in the
/// repository (pipelines, samples, docs) and beside it (the shared datasets) without hard-coded absolute paths.
/// </summary>
public static class RepositoryPaths
{
    private const string SolutionFile = "MlOpsOrchestrator.sln";

    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The folder that holds <c>MlOpsOrchestrator.sln</c>.</summary>
    public static string Root => LazyRoot.Value;

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        var start = TestContext.CurrentContext.TestDirectory;
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, SolutionFile)))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No {SolutionFile} found in {start} or any folder above it.");
    }
}
