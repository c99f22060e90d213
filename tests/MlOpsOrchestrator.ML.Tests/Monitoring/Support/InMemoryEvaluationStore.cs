using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Tests.Monitoring.Support;

/// <summary>The monitoring series contract in memory: append-only, read back oldest first by pipeline, prefix and time.</summary>
internal sealed class InMemoryEvaluationStore : IEvaluationStore
{
    private readonly Lock _lock = new();
    private readonly List<EvaluationPoint> _points = [];

    public IReadOnlyList<EvaluationPoint> Points
    {
        get
        {
            lock (_lock)
            {
                return [.. _points];
            }
        }
    }

    public Task AppendAsync(IReadOnlyList<EvaluationPoint> points, CancellationToken ct)
    {
        lock (_lock)
        {
            _points.AddRange(points);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<EvaluationPoint>> ReadAsync(string pipeline, string? seriesPrefix, DateTimeOffset? since, int limit, CancellationToken ct)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<EvaluationPoint>>([.. _points
                .Where(p => p.Pipeline == pipeline && (seriesPrefix is null || p.Series.StartsWith(seriesPrefix, StringComparison.Ordinal)))
                .Where(p => since is null || p.At >= since)
                .OrderBy(p => p.At)
                .Take(limit)]);
        }
    }
}
