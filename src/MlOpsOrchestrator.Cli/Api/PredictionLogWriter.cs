using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Cli.Api;

/// <summary>
/// Logs served predictions for <c>monitor</c> without slowing requests: a request only adds to a bounded channel; this
/// background service writes what arrived in batches (every second, or as soon as 500 are waiting). When the store
/// falls behind, the newest records are dropped and counted rather than blocking a request.
/// </summary>
internal sealed class PredictionLogWriter(IServiceProvider services, ILogger<PredictionLogWriter> logger) : BackgroundService
{
    private const int BatchSize = 500;
    private readonly Channel<PredictionRecord> _channel = Channel.CreateBounded<PredictionRecord>(
        new BoundedChannelOptions(50_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private long _dropped;

    public void Add(PredictionRecord record)
    {
        if (!_channel.Writer.TryWrite(record))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PredictionRecord>(BatchSize);
        try
        {
            while (await _channel.Reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                await FlushAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down: write what is left below.
        }

        await FlushAsync(batch, CancellationToken.None);
    }

    private async Task FlushAsync(List<PredictionRecord> batch, CancellationToken ct)
    {
        var log = services.GetRequiredService<IPredictionLog>();
        while (true)
        {
            batch.Clear();
            while (batch.Count < BatchSize && _channel.Reader.TryRead(out var record))
            {
                batch.Add(record);
            }

            if (batch.Count == 0)
            {
                break;
            }

            try
            {
                await log.AppendAsync(batch, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not log {Count} served predictions; they are lost for monitoring", batch.Count);
            }
        }

        var dropped = Interlocked.Exchange(ref _dropped, 0);
        if (dropped > 0)
        {
            logger.LogWarning("Dropped {Count} served predictions from the monitoring log: the store fell behind", dropped);
        }
    }
}
