using System.Collections.Concurrent;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Runs;

namespace MlOpsOrchestrator.Cli.Composition;

/// <summary>
/// The dispatcher of one-shot commands: there is no queue shared with other processes, so a run the run service
/// dispatches (the command's own run, or one a retrain step started) is kept here and executed by this process, the
/// command's run first and each started run once the run that started it has finished.
/// </summary>
internal sealed class InProcessRunDispatcher : IRunDispatcher
{
    private readonly ConcurrentQueue<string> _pending = new();

    public Task<string> EnqueueAsync(RunRecord run, CancellationToken ct)
    {
        _pending.Enqueue(run.RunId);
        return Task.FromResult($"in-process:{run.RunId}");
    }

    public bool TryTake(out string runId) => _pending.TryDequeue(out runId!);
}
