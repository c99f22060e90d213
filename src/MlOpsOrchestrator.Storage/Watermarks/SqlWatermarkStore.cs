using MlOpsOrchestrator.Storage.Sql;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Storage.Watermarks;

/// <summary>Watermarks on either engine, with the run that set each one for the audit trail.</summary>
internal sealed class SqlWatermarkStore(ISqlEngine engine) : IWatermarkStore
{
    private readonly string _watermarks = engine.Table("watermarks");

    public async Task<DateTimeOffset?> GetAsync(string pipeline, CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(ct);
        await using var command = connection
            .Command($"SELECT watermark FROM {_watermarks} WHERE pipeline = @pipeline")
            .With("@pipeline", pipeline);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? engine.ReadTime(reader, 0) : null;
    }

    public async Task SetAsync(string pipeline, DateTimeOffset value, string runId, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pipeline);
        await using var connection = await engine.OpenAsync(ct);
        await connection.ExecuteAsync(
            $"INSERT INTO {_watermarks} (pipeline, watermark, run_id) VALUES (@pipeline, @watermark, @run_id) " +
            "ON CONFLICT (pipeline) DO UPDATE SET watermark = excluded.watermark, run_id = excluded.run_id",
            null, ct, ("@pipeline", pipeline), ("@watermark", engine.TimeValue(value)), ("@run_id", runId));
    }

    public async Task ResetAsync(string pipeline, CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(ct);
        await connection.ExecuteAsync($"DELETE FROM {_watermarks} WHERE pipeline = @pipeline", null, ct, ("@pipeline", pipeline));
    }
}
