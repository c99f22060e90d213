using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MlOpsOrchestrator.Cli.Hosting;

/// <summary>
/// With OTLP, nobody scrapes: the gauges read from the stores are read again every <see cref="Interval"/> so that each
/// push reports the current state. The refresher is resolved once the host runs (the stores open when it starts).
/// </summary>
internal sealed class TelemetryRefreshLoop(IServiceProvider services, TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var refresher = services.GetRequiredService<TelemetryRefresher>();
            while (!stoppingToken.IsCancellationRequested)
            {
                await refresher.RefreshAsync(stoppingToken);
                await Task.Delay(Interval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
