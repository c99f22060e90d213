using MlOpsOrchestrator.Runs;

namespace MlOpsOrchestrator.Execution;

/// <summary>
/// Where a launched run goes to be executed. Under <c>serve</c>/<c>worker</c> it is a Hangfire job whose only argument
/// is the run id, so any worker sharing the storage may take it; a continuation after an approval goes the same way.
/// </summary>
public interface IRunDispatcher
{
    /// <summary>Queues the run for execution; returns the queue's job id (for display and logs).</summary>
    Task<string> EnqueueAsync(RunRecord run, CancellationToken ct);
}
