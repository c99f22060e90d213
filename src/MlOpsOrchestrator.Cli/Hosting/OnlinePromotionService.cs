using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Cli.Promotion;

namespace MlOpsOrchestrator.Cli.Hosting;

/// <summary>
/// <c>serve</c>'s <c>promote_when</c>: every <see cref="MlOpsHostSettings.PromotionInterval"/> (a minute), every
/// loaded rule is judged (<see cref="PromotionRunner"/>), so a challenger whose time ran out is withdrawn even when no
/// label arrives. A failure is logged and the next round tries again.
/// </summary>
internal sealed partial class OnlinePromotionService(
    IServiceProvider services, MlOpsHostSettings settings, TimeProvider time, ILogger<OnlinePromotionService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(
            settings.PromotionInterval,
            time,
            ct => services.GetRequiredService<PromotionRunner>().JudgeAsync(null, ct),
            ex => LogFailed(logger, ex, settings.PromotionInterval),
            stoppingToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "promote_when failed; it tries again in {Interval}")]
    private static partial void LogFailed(ILogger logger, Exception exception, TimeSpan interval);
}
