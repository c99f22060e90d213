using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Runs;

namespace MlOpsOrchestrator.ML.Tests.Monitoring.Support;

/// <summary>A run queue that only remembers what was queued.</summary>
internal sealed class RecordingDispatcher : IRunDispatcher
{
    private readonly Lock _lock = new();
    private readonly List<RunRecord> _queued = [];

    public IReadOnlyList<RunRecord> Queued
    {
        get
        {
            lock (_lock)
            {
                return [.. _queued];
            }
        }
    }

    public Task<string> EnqueueAsync(RunRecord run, CancellationToken ct)
    {
        lock (_lock)
        {
            _queued.Add(run);
            return Task.FromResult($"job-{_queued.Count}");
        }
    }
}
