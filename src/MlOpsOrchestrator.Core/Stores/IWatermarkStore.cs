namespace MlOpsOrchestrator.Stores;

/// <summary>The newest timestamp each pipeline has consumed; advanced only when a run succeeds.</summary>
public interface IWatermarkStore
{
    Task<DateTimeOffset?> GetAsync(string pipeline, CancellationToken ct);

    Task SetAsync(string pipeline, DateTimeOffset value, string runId, CancellationToken ct);

    /// <summary>Forgets the watermark: a full run resets the baseline.</summary>
    Task ResetAsync(string pipeline, CancellationToken ct);
}
