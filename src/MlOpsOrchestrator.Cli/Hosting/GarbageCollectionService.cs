using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Retention;

namespace MlOpsOrchestrator.Cli.Hosting;

/// <summary>
/// <c>serve</c>'s garbage collection: every <see cref="MlOpsHostSettings.GarbageCollectionInterval"/> (an hour), the
/// same collection as <c>mlops gc</c>. A failure is logged and the next round tries again; it never stops the host.
/// The collector is resolved at the first round, as the other background services resolve the stores: the storage
/// opens when the host has started, after the hosted services are made.
/// </summary>
internal sealed partial class GarbageCollectionService(
    IServiceProvider services, MlOpsHostSettings settings, TimeProvider time, ILogger<GarbageCollectionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.GarbageCollectionInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await services.GetRequiredService<GarbageCollector>().CollectAsync(dryRun: false, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogFailed(logger, ex, settings.GarbageCollectionInterval);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Garbage collection failed; it tries again in {Interval}")]
    private static partial void LogFailed(ILogger logger, Exception exception, TimeSpan interval);
}
