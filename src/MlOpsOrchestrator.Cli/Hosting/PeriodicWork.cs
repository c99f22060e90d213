namespace MlOpsOrchestrator.Cli.Hosting;

/// <summary>
/// The loop of <c>serve</c>'s timed background work (garbage collection, <c>promote_when</c>): one round every
/// interval; a round that fails is reported and the next round tries again, so it never stops the host; the loop ends
/// quietly when the host stops.
/// </summary>
internal static class PeriodicWork
{
    public static async Task RunAsync(
        TimeSpan interval, TimeProvider time, Func<CancellationToken, Task> round, Action<Exception> failed, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await round(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    failed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
