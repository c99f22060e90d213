using System.Diagnostics;
using MlOpsOrchestrator.Runs;

namespace MlOpsOrchestrator.Execution;

/// <summary>
/// Recognises runs whose executor died: a run that says <c>running</c> but whose owner stopped its heartbeat, or whose
/// owner process on this machine no longer exists, is shown as <c>interrupted</c> instead of running forever.
/// </summary>
public static class RunLiveness
{
    /// <summary>How long an owner may stay silent before its run counts as interrupted.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(30);

    /// <summary>This process's owner id: <c>host:pid:nonce</c>.</summary>
    public static string LocalOwner { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    public static RunRecord Effective(RunRecord run, DateTimeOffset now) =>
        run.Status == RunStatus.Running && IsDead(run, now) ? run with { Status = RunStatus.Interrupted } : run;

    public static StepRecord Effective(StepRecord step, RunRecord effectiveRun) =>
        effectiveRun.Status == RunStatus.Interrupted && step.Status == StepStatus.Running
            ? step with { Status = StepStatus.Interrupted }
            : step;

    public static bool IsDead(RunRecord run, DateTimeOffset now)
    {
        if (run.Owner is null)
        {
            return true;
        }

        if (run.HeartbeatAt is null || now - run.HeartbeatAt > StaleAfter)
        {
            return true;
        }

        var parts = run.Owner.Split(':');
        return parts.Length >= 2 && parts[0] == Environment.MachineName && int.TryParse(parts[1], out var pid) && !ProcessExists(pid);
    }

    private static bool ProcessExists(int pid)
    {
        if (pid == Environment.ProcessId)
        {
            return true;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
