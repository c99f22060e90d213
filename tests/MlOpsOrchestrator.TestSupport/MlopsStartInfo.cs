using System.Diagnostics;

namespace MlOpsOrchestrator.TestSupport;

/// <summary>
/// How tests and benchmarks start <c>mlops</c> as a child: <c>dotnet mlops.dll ARGS</c> with the <c>dotnet</c> host
/// that runs them, stdin, stdout and stderr redirected, and none of their <c>MLOPS_*</c> variables (home, database,
/// data root, tokens, allowed hosts a developer's shell may set), so only the arguments and the given variables
/// configure it.
/// </summary>
public static class MlopsStartInfo
{
    public static ProcessStartInfo Create(string dll, string workingDirectory, IReadOnlyDictionary<string, string>? environment, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var variable in start.Environment.Keys.Where(k => k.StartsWith("MLOPS_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(variable);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return start;
    }

    /// <summary>The <c>dotnet</c> host running this process (so the same runtime runs <c>mlops</c>), else the one on the PATH.</summary>
    private static string DotnetHost()
    {
        if (Environment.ProcessPath is { } current && Path.GetFileNameWithoutExtension(current) == "dotnet")
        {
            return current;
        }

        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
    }
}
