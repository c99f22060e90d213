using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Cli.Api;

/// <summary>
/// Scores requests with the shadow version after their answer has left, off the request path: the request only adds
/// the rows to a bounded queue, and one background loop scores them and logs each answer with <c>Shadow = true</c> and
/// the prediction id the caller got. A shadow that fails, is slow, or falls behind (the queue is full: the work is
/// dropped and counted) therefore never changes or delays an answer; at worst some shadow rows are missing from the log.
/// </summary>
internal sealed class ShadowScorer(PredictionLogWriter predictions, TimeProvider time, ILogger<ShadowScorer> logger) : BackgroundService
{
    private readonly Channel<ShadowWork> _channel = Channel.CreateBounded<ShadowWork>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private long _dropped;
    private long _failed;

    /// <summary>Queues the rows for the shadow; never blocks.</summary>
    public void Add(ShadowWork work)
    {
        if (!_channel.Writer.TryWrite(work))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reported = time.GetTimestamp();
        try
        {
            await foreach (var work in _channel.Reader.ReadAllAsync(stoppingToken))
            {
                Score(work);
                if (time.GetElapsedTime(reported) > TimeSpan.FromMinutes(1))
                {
                    Report();
                    reported = time.GetTimestamp();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down: shadow rows still queued are not scored.
        }

        Report();
    }

    private void Score(ShadowWork work)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var document = JsonDocument.Parse(work.FeaturesJson);
            var input = document.RootElement;
            var output = work.Shadow.Scorer.Score(input);
            JsonElement[] rows = input.ValueKind == JsonValueKind.Array ? [.. input.EnumerateArray()] : [input];
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            for (var i = 0; i < rows.Length; i++)
            {
                var answer = output[i].ToJson();
                answer[PredictionAnswers.IdProperty] = work.PredictionIds[i];
                predictions.Add(new PredictionRecord(
                    work.Shadow.Model, work.Shadow.Version, work.At, rows[i].GetRawText(), answer.ToJsonString(ApiJson.Options), elapsed,
                    work.Shadow.Alias, work.PredictionIds[i], work.Keys[i], Shadow: true));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Rows production accepted but the shadow cannot score (another schema), or the shadow itself failing: its
            // answer is simply missing. Nothing a shadow does may stop this loop, let alone the host.
            if (Interlocked.Increment(ref _failed) == 1)
            {
                logger.LogWarning("The shadow {Model} version {Version} cannot score a request production answered: {Problem}", work.Shadow.Model, work.Shadow.Version, ex.Message);
            }
        }
    }

    private void Report()
    {
        var dropped = Interlocked.Exchange(ref _dropped, 0);
        var failed = Interlocked.Exchange(ref _failed, 0);
        if (dropped > 0 || failed > 1)
        {
            logger.LogWarning("Shadow scoring left out {Dropped} requests (queue full) and failed on {Failed}; answers to callers were not affected", dropped, failed);
        }
    }
}

/// <summary>The rows of one answered request for the shadow, with the ids and routing keys the caller's rows got.</summary>
internal sealed record ShadowWork(ServedModel Shadow, DateTimeOffset At, string FeaturesJson, IReadOnlyList<string> PredictionIds, IReadOnlyList<string?> Keys);
