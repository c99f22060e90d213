namespace MlOpsOrchestrator.Stores;

/// <summary>The log of served predictions, written in batches by serving and read by monitoring.</summary>
public interface IPredictionLog
{
    Task AppendAsync(IReadOnlyList<PredictionRecord> records, CancellationToken ct);

    /// <summary>
    /// Newest <paramref name="limit"/> answers of <paramref name="model"/> returned to callers since
    /// <paramref name="since"/>, oldest first: shadow answers (<see cref="PredictionRecord.Shadow"/>) are left out, so
    /// monitoring sees each request once.
    /// </summary>
    Task<IReadOnlyList<PredictionRecord>> ReadAsync(string model, DateTimeOffset since, int limit, CancellationToken ct);
}
