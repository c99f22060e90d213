namespace MlOpsOrchestrator.TestSupport;

/// <summary>
/// The real public datasets every developer and CI run has in <c>../shared/data/real</c> beside the clone. They
/// are read in place, never copied into the repository; a missing file fails on CI and skips elsewhere.
/// </summary>
public static class RealData
{
    /// <summary>Points at another copy of the datasets folder.</summary>
    public const string EnvironmentVariable = "MLOPS_REAL_DATA";

    /// <summary>The datasets folder: <c>MLOPS_REAL_DATA</c> if set, else <c>../shared/data/real</c> from the repository root.</summary>
    public static string Root =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } overridden
            ? Path.GetFullPath(overridden)
            : Path.GetFullPath(RepositoryPaths.Combine("..", "shared", "data", "real"));

    /// <summary>The full path of a dataset file such as <c>taxi_fare/taxi-fare-train.csv</c>.</summary>
    public static string Require(string relativePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(relativePath);
        string root;
        try
        {
            root = Root;
        }
        catch (InvalidOperationException e)
        {
            throw TestAvailability.Unavailable($"Real data folder unknown: {e.Message} Set {EnvironmentVariable}.");
        }

        var path = Path.GetFullPath(Path.Combine(root, relativePath));
        if (File.Exists(path))
        {
            return path;
        }

        throw TestAvailability.Unavailable(
            $"Real dataset missing: {path}; CI must have ../shared beside the clone (or set {EnvironmentVariable}).");
    }
}
