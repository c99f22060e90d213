using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Tests.Steps.Support;

/// <summary>The ML steps never read watermarks; this satisfies the context.</summary>
internal sealed class NoWatermarks : IWatermarkStore
{
    public Task<DateTimeOffset?> GetAsync(string pipeline, CancellationToken ct) => Task.FromResult<DateTimeOffset?>(null);

    public Task SetAsync(string pipeline, DateTimeOffset value, string runId, CancellationToken ct) => Task.CompletedTask;

    public Task ResetAsync(string pipeline, CancellationToken ct) => Task.CompletedTask;
}
