namespace MlOpsOrchestrator.TestSupport;

/// <summary>
/// PostgreSQL refuses to run as root, and CI runs as root: there the tools run as the <c>postgres</c> OS user
/// (<c>runuser -u postgres --</c>) on a folder that user owns. Anywhere else they run as the current user.
/// </summary>
internal static class PostgresUser
{
    private const string Name = "postgres";

    // Environment.UserName resolves the effective uid on Unix, which is what the server checks.
    public static bool IsRoot => OperatingSystem.IsLinux() && Environment.UserName == "root";

    public static async Task GiveAsync(string folder, CancellationToken ct)
    {
        var chown = await ProcessRunner.RunAsync("chown", [$"{Name}:", folder], null, TimeSpan.FromSeconds(30), ct);
        if (!chown.Succeeded)
        {
            throw new InvalidOperationException(
                $"Running as root, the test cluster's folder must belong to the '{Name}' OS user: {chown.Describe()}");
        }
    }

    public static Task<ProcessResult> RunAsync(
        string binDirectory, string tool, string workingDirectory, TimeSpan timeout, CancellationToken ct, params string[] arguments)
    {
        var executable = Path.Combine(binDirectory, tool);
        return IsRoot
            ? ProcessRunner.RunAsync("runuser", ["-u", Name, "--", executable, .. arguments], workingDirectory, timeout, ct)
            : ProcessRunner.RunAsync(executable, arguments, workingDirectory, timeout, ct);
    }
}
