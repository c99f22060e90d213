using System.Globalization;

namespace MlOpsOrchestrator.Cli.Composition;

/// <summary>
/// <c>MLOPS_ARTIFACT_CACHE_MB</c>: how much of the database's artifacts each process of a PostgreSQL cluster keeps on
/// its own disk (default 4096). Unset: the storage default; anything but a whole number of at least 1 is an error
/// that names the variable.
/// </summary>
internal static class ArtifactCacheSetting
{
    public const string Variable = "MLOPS_ARTIFACT_CACHE_MB";

    public static long? Bytes(Func<string, string?> environment)
    {
        var text = environment(Variable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var megabytes) && megabytes is >= 1 and <= 1L << 30
            ? megabytes << 20
            : throw new MlOpsCompositionException($"{Variable}='{text}' must be a whole number of megabytes, at least 1 (the local cache of database artifacts, default 4096)");
    }
}
