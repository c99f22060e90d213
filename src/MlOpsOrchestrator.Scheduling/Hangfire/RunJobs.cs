using Hangfire;

namespace MlOpsOrchestrator.Scheduling.Hangfire;

/// <summary>
/// Which Hangfire jobs executed a run: every job the dispatcher creates for a run (the first, a continuation after an
/// approval, a re-check in the queue) is added to a set named after the run in Hangfire's own storage, so the run page
/// links to its jobs; the job page links back through the job's only argument, the run id.
/// </summary>
public static class RunJobs
{
    /// <summary>How long the set outlives its last job; Hangfire's own job records expire sooner.</summary>
    public static readonly TimeSpan Kept = TimeSpan.FromDays(31);

    public static string SetKey(string runId) => "mlops-run-jobs:" + runId;

    public static void Record(JobStorage storage, string runId, string jobId)
    {
        ArgumentNullException.ThrowIfNull(storage);
        using var connection = storage.GetConnection();
        using var transaction = connection.CreateWriteTransaction();
        transaction.AddToSet(SetKey(runId), jobId, DateTime.UtcNow.Ticks);
        if (transaction is global::Hangfire.Storage.JobStorageTransaction expiring)
        {
            expiring.ExpireSet(SetKey(runId), Kept);
        }

        transaction.Commit();
    }

    /// <summary>The run's job ids, oldest first; empty when none was recorded (a run executed by the CLI).</summary>
    public static IReadOnlyList<string> Of(JobStorage storage, string runId)
    {
        ArgumentNullException.ThrowIfNull(storage);
        using var connection = storage.GetConnection();
        return connection is global::Hangfire.Storage.JobStorageConnection ranged
            ? ranged.GetRangeFromSet(SetKey(runId), 0, 99)
            : connection.GetAllItemsFromSet(SetKey(runId)).ToList();
    }

    /// <summary>The run id a <see cref="RunJob"/> executes, from the job's arguments; null for any other job.</summary>
    public static string? RunIdOf(global::Hangfire.Common.Job? job) =>
        job is { Type: var type, Args: [string runId, ..] } && type == typeof(RunJob) ? runId : null;
}
