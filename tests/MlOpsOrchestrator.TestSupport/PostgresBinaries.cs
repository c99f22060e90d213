namespace MlOpsOrchestrator.TestSupport;

/// <summary>
/// Finds the folder holding <c>initdb</c>, <c>pg_ctl</c> and <c>postgres</c>. Debian keeps the server binaries
/// off PATH (<c>/usr/lib/postgresql/N/bin</c>), so PATH is the last place looked, not the first.
/// </summary>
internal static class PostgresBinaries
{
    public const string EnvironmentVariable = "MLOPS_PG_BIN";

    private const string DebianRoot = "/usr/lib/postgresql";

    public static async Task<string> LocateAsync(CancellationToken ct)
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } chosen)
        {
            return HasServer(chosen)
                ? chosen
                : throw new InvalidOperationException($"{EnvironmentVariable}={chosen} has no initdb, pg_ctl and postgres.");
        }

        List<string> candidates = [];
        var pgConfig = await ProcessRunner.RunAsync("pg_config", ["--bindir"], null, TimeSpan.FromSeconds(30), ct);
        if (pgConfig.Succeeded)
        {
            candidates.Add(pgConfig.StandardOutput.Trim());
        }

        candidates.AddRange(DebianBinFolders());
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));

        return candidates.FirstOrDefault(HasServer) ?? throw new InvalidOperationException(
            "No PostgreSQL server binaries (initdb, pg_ctl, postgres) found via pg_config, in "
            + $"{DebianRoot}/*/bin or on PATH. Install them (apt-get install -y postgresql) or set {EnvironmentVariable}.");
    }

    private static IEnumerable<string> DebianBinFolders() =>
        Directory.Exists(DebianRoot)
            ? Directory.GetDirectories(DebianRoot)
                .Select(folder => (Folder: folder, Major: int.TryParse(Path.GetFileName(folder), out var major) ? major : -1))
                .OrderByDescending(version => version.Major)
                .Select(version => Path.Combine(version.Folder, "bin"))
            : [];

    private static bool HasServer(string folder) =>
        File.Exists(Path.Combine(folder, "initdb"))
        && File.Exists(Path.Combine(folder, "pg_ctl"))
        && File.Exists(Path.Combine(folder, "postgres"));
}
