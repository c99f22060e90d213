namespace MlOpsOrchestrator.Stores;

/// <summary>Drift and metric time series written by <c>monitor</c> steps, read by the dashboard's charts and by people.</summary>
public interface IEvaluationStore
{
    Task AppendAsync(IReadOnlyList<EvaluationPoint> points, CancellationToken ct);

    /// <summary>Points of <paramref name="pipeline"/>, oldest first; only series starting with <paramref name="seriesPrefix"/> when given.</summary>
    Task<IReadOnlyList<EvaluationPoint>> ReadAsync(string pipeline, string? seriesPrefix, DateTimeOffset? since, int limit, CancellationToken ct);
}
