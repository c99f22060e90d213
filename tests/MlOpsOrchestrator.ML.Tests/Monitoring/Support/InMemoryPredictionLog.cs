using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Tests.Monitoring.Support;

/// <summary>The prediction log contract in memory: the newest records of a model since a time, oldest first.</summary>
internal sealed class InMemoryPredictionLog : IPredictionLog
{
    private readonly Lock _lock = new();
    private readonly List<PredictionRecord> _records = [];

    public Task AppendAsync(IReadOnlyList<PredictionRecord> records, CancellationToken ct)
    {
        lock (_lock)
        {
            _records.AddRange(records);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<PredictionRecord>> ReadAsync(string model, DateTimeOffset since, int limit, CancellationToken ct)
    {
        lock (_lock)
        {
            var newest = _records.Where(r => r.Model == model && r.At >= since).OrderByDescending(r => r.At).Take(limit);
            return Task.FromResult<IReadOnlyList<PredictionRecord>>([.. newest.OrderBy(r => r.At)]);
        }
    }
}
