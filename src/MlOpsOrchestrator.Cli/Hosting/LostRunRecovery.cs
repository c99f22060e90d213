using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Cli.Hosting;

/// <summary>
/// PostgreSQL, <c>serve</c> only: a run is created in the run store and then queued in Hangfire's, two writes that
/// cannot share a transaction, so a process that dies between them leaves a pending run no job will ever execute
/// (and, under <c>concurrency: queue</c>, every younger run of its pipeline waiting behind it). Every
/// <see cref="LostRunSettings.Interval"/> this service queues again the runs that are pending, unowned and untouched for
/// longer than <see cref="LostRunSettings.After"/>. Queuing a run twice is harmless: the executor's claim lets one
/// job execute it and the other finds it owned or ended. A run that waits its turn under <c>concurrency: queue</c>
/// notes each check in its heartbeat time, so it never looks lost. The same holds for a run left <c>running</c> by an
/// execution that ended without recording an end (its heartbeat stopped): it is queued again, and the executor's claim
/// takes it over and resumes it after its last finished step.
/// </summary>
/// <remarks>Resolves the store when the host has started: hosted services are built before the storage opens.</remarks>
internal sealed class LostRunRecovery(
    IServiceProvider services, IRunDispatcher dispatcher, LostRunSettings settings, TimeProvider time, ILogger<LostRunRecovery> logger) : BackgroundService
{
    /// <summary>How far back each scan looks, newest first.</summary>
    public const int RunsScanned = 1000;

    /// <summary>Runs this process queued again, and when: each is queued again at most once per <see cref="LostRunSettings.After"/>.</summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> _requeued = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await SweepAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Looking for lost pending runs failed; trying again in {Interval}", settings.Interval);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    /// <summary>Queues again every lost run found; returns their ids.</summary>
    public async Task<IReadOnlyList<string>> SweepAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var before = now - settings.After;
        foreach (var (id, at) in _requeued)
        {
            if (at < before)
            {
                _requeued.TryRemove(id, out _);
            }
        }

        var lost = (await services.GetRequiredService<IRunRepository>().ListAsync(null, RunsScanned, ct))
            .Where(r => IsLost(r, now, before) && !_requeued.ContainsKey(r.RunId))
            .OrderBy(r => r.CreatedAt)
            .ToList();
        foreach (var run in lost)
        {
            await dispatcher.EnqueueAsync(run, ct);
            _requeued[run.RunId] = now;
            logger.LogWarning(
                "Run {RunId} of {Pipeline} was {Status} and untouched since {Since:u}; queued again{Resumes}",
                run.RunId, run.Pipeline, StatusNames.Of(run.Status), Latest(run),
                run.Status == RunStatus.Running ? " (its executor stopped beating; the run resumes after its last finished step)" : "");
        }

        return [.. lost.Select(r => r.RunId)];
    }

    /// <summary>
    /// Pending with no owner and untouched since <paramref name="before"/>, or running with an executor that stopped
    /// beating for <see cref="LostRunSettings.DeadAfter"/> (twice the heartbeat's own limit: a run that says running is
    /// watched by its heartbeat, so it need not wait as long as a pending run, which may just be waiting for a free
    /// worker). The second is a job that failed on a database error while its process lives on, its retries spent or
    /// refused while the heartbeat still looked fresh: nothing will ever execute it again unless it is queued. Also a
    /// run interrupted by the shutdown of a worker whose job no other worker took up
    /// (<see cref="Scheduling.Hangfire.RunJob.ShutdownNote"/>), untouched since <paramref name="before"/>.
    /// </summary>
    private bool IsLost(RunRecord run, DateTimeOffset now, DateTimeOffset before) =>
        (run.Status == RunStatus.Pending && run.Owner is null && Latest(run) < before)
        || (run.Status == RunStatus.Running && RunLiveness.IsDead(run, now) && Latest(run) < now - settings.DeadAfter)
        || (EmbeddedQueueRecovery.IsShutDown(run) && run.Owner is null && Latest(run) < before);

    private static DateTimeOffset Latest(RunRecord run) =>
        new[] { run.CreatedAt, run.HeartbeatAt ?? run.CreatedAt, run.FinishedAt ?? run.CreatedAt }.Max();
}

/// <summary>
/// How often <see cref="LostRunRecovery"/> looks, how long a pending run must be untouched to count as lost, and how
/// long a running run's heartbeat must have stopped.
/// </summary>
internal sealed record LostRunSettings(TimeSpan Interval, TimeSpan After)
{
    public static LostRunSettings Default { get; } = new(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2));

    /// <summary>How long a running run's executor must have been silent before the run is queued again.</summary>
    public TimeSpan DeadAfter { get; init; } = RunLiveness.StaleAfter * 2;
}
