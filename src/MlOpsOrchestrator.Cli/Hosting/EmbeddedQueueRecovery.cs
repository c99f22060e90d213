using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Cli.Composition;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Scheduling.Hangfire;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Cli.Hosting;

/// <summary>
/// Embedded mode only: the run queue lives in this process's memory and is gone after a restart, so a run that was
/// queued (never started, or approved and not yet continued) would stay pending for ever. When the host has started,
/// such runs are queued again, and so are the runs the previous process interrupted when it shut down
/// (<see cref="RunJob.ShutdownNote"/>): they resume after their last finished step. (On PostgreSQL the queue survives
/// restarts and needs no help. A run whose process was killed, or that <c>mlops run</c> was executing when it was
/// stopped, is left to a person: it waits for <c>mlops resume</c>.)
/// </summary>
/// <remarks>Resolves the store when the host has started: hosted services are built before the storage opens.</remarks>
internal sealed class EmbeddedQueueRecovery(IServiceProvider services, IRunDispatcher dispatcher, ILogger<EmbeddedQueueRecovery> logger) : IHostedLifecycleService
{
    /// <summary>How far back to look; a restart finds its lost queue among the newest runs.</summary>
    public const int RunsScanned = 1000;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        var runs = services.GetRequiredService<IRunRepository>();
        var lost = (await runs.ListAsync(null, RunsScanned, cancellationToken))
            .Where(r => r.Owner is null && (r.Status == RunStatus.Pending || IsShutDown(r)))
            .OrderBy(r => r.CreatedAt)
            .ToList();
        foreach (var run in lost)
        {
            await dispatcher.EnqueueAsync(run, cancellationToken);
            if (IsShutDown(run))
            {
                logger.LogWarning("Run {RunId} of {Pipeline} was interrupted when the previous serve shut down; queued again, it resumes after its last finished step", run.RunId, run.Pipeline);
            }
            else
            {
                logger.LogInformation("Run {RunId} of {Pipeline} was waiting in the queue of a previous process; queued again", run.RunId, run.Pipeline);
            }
        }
    }

    /// <summary>Interrupted by the shutdown of the process whose queue executed it.</summary>
    internal static bool IsShutDown(RunRecord run) => run.Status == RunStatus.Interrupted && run.Error == RunJob.ShutdownNote;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
