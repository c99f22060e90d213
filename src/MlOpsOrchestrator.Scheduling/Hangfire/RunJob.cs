using System.Collections.Concurrent;
using Hangfire;
using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Scheduling.Hangfire;

/// <summary>
/// The Hangfire job that executes a run, or continues it after an approval. Its only argument is the run id; the
/// executor and stores come from the worker's container. Public because Hangfire serializes the call expression.
/// </summary>
public sealed class RunJob(RunExecutor executor, IRunDispatcher dispatcher, ILogger<RunJob> logger)
{
    /// <summary>How long a run waiting for an older one (<c>concurrency: queue</c>) stays out of the queue before it is checked again.</summary>
    public static readonly TimeSpan QueueRecheck = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The error of a run this job's process stopped executing because it shut down (SIGTERM, Ctrl+C): the run is
    /// <c>interrupted</c>, and is resumed after its last finished step by whichever process takes its job up: on
    /// PostgreSQL, another worker at once (Hangfire hands the job back to the queue) or, if the job was lost, serve's
    /// lost-run check; in embedded mode, where the queue lived in the stopped process, serve when it starts again.
    /// </summary>
    public const string ShutdownNote = "interrupted by the shutdown of the process executing it; resumed after its last finished step by the next worker to take up its job (in embedded mode: when serve starts again)";

    /// <summary>Runs executing in this process. The store's claim cannot tell two jobs of one process apart (same owner id).</summary>
    private static readonly ConcurrentDictionary<string, byte> Executing = new(StringComparer.Ordinal);

    /// <summary>
    /// Executes the run until it finishes or waits for an approval. Retrying is safe: finished steps are never repeated,
    /// and when another live executor owns the run (a job taken over while its first worker is still alive), the
    /// executor's claim fails and this job ends without doing anything. Shutdown cancels <paramref name="ct"/>: the
    /// run is marked interrupted and Hangfire hands the job to the next worker, which resumes it.
    /// </summary>
    [RunJobDisplayName]
    [RunTrace]
    [AutomaticRetry(Attempts = 3)]
    public async Task ExecuteAsync(string runId, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["RunId"] = runId });
        if (!Executing.TryAdd(runId, 0))
        {
            logger.LogInformation("Run {RunId} is already executing in this process; this job ends without doing anything", runId);
            return;
        }

        try
        {
            // The executor's claim reads the run: an ended run comes back untouched, an unknown one as null.
            if (await executor.TryExecuteAsync(runId, new LoggingProgress(logger), ShutdownNote, ct) is not { } result)
            {
                // Retrying cannot make an unknown run appear.
                logger.LogWarning("Run {RunId} does not exist; nothing to execute", runId);
                return;
            }

            if (RunExecutor.IsWaitingInQueue(result))
            {
                // Not this run's turn (concurrency: queue): it is pending again, nothing of it ran. This job ends and a
                // new one checks again shortly, so no worker is held while an older run of the pipeline finishes.
                await Task.Delay(QueueRecheck, ct);
                await dispatcher.EnqueueAsync(result, ct);
                logger.LogDebug("Run {RunId} queued again: {Reason}", runId, result.Error);
                return;
            }

            logger.LogInformation("Run {RunId} job finished with the run {Status}", runId, StatusNames.Of(result.Status));
        }
        catch (RunOwnershipLostException ex)
        {
            // This executor stalled past the heartbeat limit and another took the run over: it is theirs now, and
            // retrying this job would only find it owned. Nothing of this execution was written after the takeover.
            logger.LogWarning("Run {RunId}: {Message}; this job stops", runId, ex.Message);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            logger.LogWarning("Run {RunId} was interrupted by shutdown; it resumes after its last finished step when a worker takes up its job again: at once on another worker sharing PostgreSQL, when serve starts again in embedded mode", runId);
            throw;
        }
        finally
        {
            Executing.TryRemove(runId, out _);
        }
    }

    /// <summary>
    /// Step progress into the worker's log, synchronously (no thread-pool hop per line). The run id is in the job's scope
    /// (the console shows it in its prefix); a step's last line is skipped, since the executor logs the step's end.
    /// </summary>
    private sealed class LoggingProgress(ILogger logger) : IProgress<RunProgress>
    {
        public void Report(RunProgress value)
        {
            if (!value.Ends)
            {
                logger.LogInformation("Step {StepId}: {Message}", value.StepId, value.Message);
            }
        }
    }
}
