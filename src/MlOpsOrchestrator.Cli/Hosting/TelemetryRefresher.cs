using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Telemetry;

namespace MlOpsOrchestrator.Cli.Hosting;

/// <summary>
/// Keeps <see cref="MlOpsTelemetry.Readings"/> current: read again before a Prometheus scrape (at most once a second,
/// concurrent scrapes share one read) and, when metrics are pushed by OTLP, every <see cref="TelemetryRefreshLoop.Interval"/>.
/// A store that does not answer leaves the previous reading in place and is logged, never failing the scrape.
/// </summary>
internal sealed class TelemetryRefresher(TelemetryReader reader, TimeProvider time, ILogger<TelemetryRefresher> logger) : IDisposable
{
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task RefreshAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (MlOpsTelemetry.Readings is { } last && time.GetUtcNow() - last.ReadAt < Fresh)
            {
                return;
            }

            MlOpsTelemetry.Readings = await reader.ReadAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "The metrics read from the stores (runs waiting, model metrics, drift scores) could not be refreshed: {Error}", ex.Message);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
