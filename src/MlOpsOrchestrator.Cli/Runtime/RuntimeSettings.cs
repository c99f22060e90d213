namespace MlOpsOrchestrator.Cli.Runtime;

/// <summary>Where state lives: the home folder (artifacts, embedded database, logs) and, optionally, PostgreSQL.</summary>
internal sealed record RuntimeSettings(string Home, string? Postgres, string DataRoot)
{
    public static RuntimeSettings Resolve(string? home, string? postgres, string? dataRoot) => new(
        Path.GetFullPath(home ?? Environment.GetEnvironmentVariable("MLOPS_HOME") ?? ".mlops"),
        postgres ?? NullIfEmpty(Environment.GetEnvironmentVariable("MLOPS_POSTGRES")),
        Path.GetFullPath(dataRoot ?? Environment.GetEnvironmentVariable("MLOPS_DATA_ROOT") ?? Directory.GetCurrentDirectory()));

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
