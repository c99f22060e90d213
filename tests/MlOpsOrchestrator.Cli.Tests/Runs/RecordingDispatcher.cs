using System.Collections.Concurrent;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Runs;

namespace MlOpsOrchestrator.Cli.Tests.Runs;

/// <summary>Stands in for the queue in unit tests of the run service: records the run ids it is given, executes nothing.</summary>
internal sealed class RecordingDispatcher : IRunDispatcher
{
    private readonly ConcurrentQueue<string> _runIds = new();

    public IReadOnlyList<string> RunIds => [.. _runIds];

    public Task<string> EnqueueAsync(RunRecord run, CancellationToken ct)
    {
        _runIds.Enqueue(run.RunId);
        return Task.FromResult($"test-{_runIds.Count}");
    }
}
