using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Execution;

/// <summary>
/// The error a step records when its executor threw instead of returning a failed outcome: what went wrong and, for
/// the failures a person can fix (files, folders, disk), what to do. The stack trace is for the log file only.
/// </summary>
internal static class StepFailure
{
    public static string Describe(Exception exception) => exception switch
    {
        ArtifactWriteException => exception.Message,
        UnauthorizedAccessException or IOException =>
            $"a file could not be read or written: {exception.Message.TrimEnd('.')}; check that this process may write to "
            + "MLOPS_HOME (or --home) and to the temporary folder, and that their disks have free space, then resume the run",
        _ => $"{exception.GetType().Name}: {exception.Message}",
    };
}
