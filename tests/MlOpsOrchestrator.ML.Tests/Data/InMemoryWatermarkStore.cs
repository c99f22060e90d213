using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Tests.Data;

internal sealed class InMemoryWatermarkStore : IWatermarkStore
{
    private readonly Dictionary<string, DateTimeOffset> _values = new(StringComparer.Ordinal);

    public Task<DateTimeOffset?> GetAsync(string pipeline, CancellationToken ct) =>
        Task.FromResult(_values.TryGetValue(pipeline, out var value) ? value : (DateTimeOffset?)null);

    public Task SetAsync(string pipeline, DateTimeOffset value, string runId, CancellationToken ct)
    {
        _values[pipeline] = value;
        return Task.CompletedTask;
    }

    public Task ResetAsync(string pipeline, CancellationToken ct)
    {
        _values.Remove(pipeline);
        return Task.CompletedTask;
    }
}
