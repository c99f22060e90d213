namespace MlOpsOrchestrator.Bench;

/// <summary>
/// The hidden modes of <c>mlops-bench</c>: the raw-engine baselines that run in a child process of their own, so they
/// are measured (wall time, peak memory, HTTP) exactly as the product's child process is.
/// </summary>
internal static class ChildModes
{
    /// <summary>The exit code of the baseline named by <c>args[0]</c>, or null when the arguments name no hidden mode.</summary>
    public static Task<int>? TryRun(string[] args) => args.FirstOrDefault() switch
    {
        TrainingBaseline.Mode => Task.FromResult(TrainingBaseline.Run(args[1..])),
        ServingBaseline.Mode => ServingBaseline.RunAsync(args[1..]),
        _ => null,
    };
}
