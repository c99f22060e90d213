using System.Collections.Concurrent;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Runs;

namespace MlOpsOrchestrator.Scheduling.Tests.Quartz;

/// <summary>Stands in for the execution queue: records the runs it is given and executes nothing.</summary>
internal sealed class RecordingDispatcher : IRunDispatcher
{
    private readonly ConcurrentQueue<RunRecord> _runs = new();

    public IReadOnlyList<RunRecord> Runs => [.. _runs];

    public Task<string> EnqueueAsync(RunRecord run, CancellationToken ct)
    {
        _runs.Enqueue(run);
        return Task.FromResult($"test-{_runs.Count}");
    }
}
