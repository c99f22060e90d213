using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MlOpsOrchestrator.Cli.Api;

/// <summary>
/// Keeps <see cref="ScorerCache"/> in step with the registry: re-reads the served aliases every
/// <see cref="ScorerCache.RefreshInterval"/>, so requests never read the store and a promotion is served within about
/// a second. One refresh at a time; a failed one is logged and the next tick tries again.
/// </summary>
internal sealed class ScorerRefresher(IServiceProvider services, TimeProvider time, ILogger<ScorerRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(ScorerCache.RefreshInterval, time);
        ScorerCache? scorers = null; // Resolved after the first tick: the stores it needs open when the host starts.
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    scorers ??= services.GetRequiredService<ScorerCache>();
                    await scorers.RefreshAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Refreshing the served model versions failed; trying again in {Interval}", ScorerCache.RefreshInterval);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
