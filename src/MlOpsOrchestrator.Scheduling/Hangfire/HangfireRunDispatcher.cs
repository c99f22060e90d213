using Hangfire;
using Hangfire.States;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Runs;

namespace MlOpsOrchestrator.Scheduling.Hangfire;

/// <summary>
/// Queues a run, or its continuation after an approval, as a <see cref="RunJob"/> whose only argument is the run id,
/// and records the job under the run (<see cref="RunJobs"/>).
/// </summary>
internal sealed class HangfireRunDispatcher(IBackgroundJobClient client, JobStorage storage) : IRunDispatcher
{
    public Task<string> EnqueueAsync(RunRecord run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        ct.ThrowIfCancellationRequested();
        var runId = run.RunId;

        // CancellationToken.None is a placeholder: Hangfire passes the worker's shutdown token in its place.
        var jobId = client.Create<RunJob>(job => job.ExecuteAsync(runId, CancellationToken.None), new EnqueuedState(ExecutionSettings.DefaultQueue));
        RunJobs.Record(storage, runId, jobId);
        return Task.FromResult(jobId);
    }
}
