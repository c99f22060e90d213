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
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(
            settings.GarbageCollectionInterval,
            time,
            ct => services.GetRequiredService<GarbageCollector>().CollectAsync(dryRun: false, ct),
            ex => LogFailed(logger, ex, settings.GarbageCollectionInterval),
            stoppingToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Garbage collection failed; it tries again in {Interval}")]
    private static partial void LogFailed(ILogger logger, Exception exception, TimeSpan interval);
}
