namespace MlOpsOrchestrator.Stores;

/// <summary>The log of served predictions, written in batches by serving and read by monitoring.</summary>
public interface IPredictionLog
{
    Task AppendAsync(IReadOnlyList<PredictionRecord> records, CancellationToken ct);

    /// <summary>Newest <paramref name="limit"/> records of <paramref name="model"/> since <paramref name="since"/>, oldest first.</summary>
    Task<IReadOnlyList<PredictionRecord>> ReadAsync(string model, DateTimeOffset since, int limit, CancellationToken ct);
}
