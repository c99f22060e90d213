namespace MlOpsOrchestrator.Scheduling.Quartz;

/// <summary>The in-memory store belongs to one process, and its synchronizer never runs twice at once: nothing to lock.</summary>
internal sealed class InProcessScheduleLock : IScheduleLock
{
    public Task<IAsyncDisposable> AcquireAsync(CancellationToken ct) => Task.FromResult<IAsyncDisposable>(Released.Instance);

    private sealed class Released : IAsyncDisposable
    {
        public static readonly Released Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
