using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Notifications;
using MlOpsOrchestrator.Security;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Cli.Notifications;

/// <summary>
/// Delivers notifications to webhooks in the background: <see cref="Publish"/> only queues (a full queue drops with a
/// warning), a sender posts each body, retrying with back-off (<see cref="NotifySettings.Attempts"/> tries, waits of
/// 1 s then 4 s by default), and logs a warning when it gives up. A run never waits for, fails because of, or learns
/// about a delivery. Webhook addresses are secrets (a Slack URL is its own credential): logs name a webhook by its
/// scheme and host only, and everything else they say passes the run's redactor. Disposing waits at most
/// <see cref="NotifySettings.DrainTimeout"/> for the deliveries under way, so a one-shot <c>mlops run</c> still sends
/// its run's notifications before it exits.
/// </summary>
internal sealed partial class WebhookNotifier : INotifier, IAsyncDisposable, IDisposable
{
    /// <summary>Deliveries under way at once; more wait in the queue.</summary>
    private const int Concurrency = 4;

    private readonly NotifySettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookNotifier> _logger;
    private readonly Channel<Delivery> _queue;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, Task> _sending = new();
    private readonly SemaphoreSlim _slots = new(Concurrency);
    private readonly Task _pump;
    private long _delivered;
    private bool _disposed;

    public WebhookNotifier(NotifySettings settings, TimeProvider time, ILogger<WebhookNotifier> logger)
    {
        _settings = settings;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<Delivery>(new BoundedChannelOptions(settings.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _http = new HttpClient();
        _http.Timeout = Timeout.InfiniteTimeSpan; // each try has its own timeout
        _pump = Task.Run(PumpAsync);
    }

    public void Publish(Notification notification, IReadOnlyList<NotifySpec>? pipelineHooks, SecretRedactor redactor)
    {
        if (!_settings.Enabled)
        {
            return;
        }

        try
        {
            var hooks = (pipelineHooks ?? _settings.Webhooks).Where(h => h.Wants(notification.Event)).ToList();
            if (hooks.Count == 0)
            {
                return;
            }

            var body = WebhookPayload.Create(notification, _settings.RunPage(notification.RunId));
            foreach (var hook in hooks)
            {
                if (!_queue.Writer.TryWrite(new Delivery(hook.Url, body, notification, redactor)))
                {
                    LogDropped(_logger, NotifyEvents.NameOf(notification.Event), notification.RunId, Shown(hook.Url), _settings.QueueCapacity);
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Telling people about a run must never be what breaks it.
            LogNotQueued(_logger, redactor.Redact(ex.Message) ?? "", notification.RunId);
        }
    }

    private async Task PumpAsync()
    {
        try
        {
            await foreach (var delivery in _queue.Reader.ReadAllAsync(_stopping.Token))
            {
                await _slots.WaitAsync(_stopping.Token);
                var id = ++_delivered;
                var sending = Task.Run(() => DeliverAsync(delivery));
                _sending[id] = sending;
                _ = sending.ContinueWith(_ => { _sending.TryRemove(id, out Task? _); _slots.Release(); }, TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: what is still queued is given up (logged at dispose).
        }
    }

    private async Task DeliverAsync(Delivery delivery)
    {
        var delay = _settings.FirstRetryDelay;
        string problem = "";
        for (var attempt = 1; attempt <= _settings.Attempts; attempt++)
        {
            var (delivered, retry, why) = await TryOnceAsync(delivery);
            if (delivered)
            {
                LogDelivered(_logger, NotifyEvents.NameOf(delivery.Notification.Event), delivery.Notification.RunId, Shown(delivery.Url), attempt);
                return;
            }

            problem = delivery.Redactor.Redact(Hide(why, delivery.Url)) ?? "";
            if (!retry || attempt == _settings.Attempts || _stopping.IsCancellationRequested)
            {
                break;
            }

            LogRetrying(_logger, NotifyEvents.NameOf(delivery.Notification.Event), delivery.Notification.RunId, Shown(delivery.Url), attempt, problem, delay);
            try
            {
                await Task.Delay(delay, _time, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            delay *= 4;
        }

        LogGaveUp(_logger, NotifyEvents.NameOf(delivery.Notification.Event), delivery.Notification.RunId, delivery.Notification.Pipeline, Shown(delivery.Url), problem);
    }

    /// <summary>One POST: delivered, or why not and whether another try may help (not for a 4xx other than 408 and 429).</summary>
    private async Task<(bool Delivered, bool Retry, string Why)> TryOnceAsync(Delivery delivery)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(_settings.AttemptTimeout);
        try
        {
            using var content = new StringContent(delivery.Body, Encoding.UTF8, "application/json");
            using var response = await _http.PostAsync(delivery.Url, content, timeout.Token);
            if (response.IsSuccessStatusCode)
            {
                return (true, false, "");
            }

            var code = (int)response.StatusCode;
            var retry = code >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
            return (false, retry, $"the webhook answered {code} {response.ReasonPhrase}");
        }
        catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
        {
            return (false, true, $"no answer within {_settings.AttemptTimeout.TotalSeconds:0.#} s");
        }
        catch (OperationCanceledException)
        {
            return (false, false, "the process stopped before the webhook answered");
        }
        catch (HttpRequestException ex)
        {
            return (false, true, $"the webhook could not be reached: {ex.Message}");
        }
    }

    /// <summary>How logs name a webhook: its scheme and host (the path and query of a webhook URL are its secret).</summary>
    internal static string Shown(Uri url) => $"{url.Scheme}://{url.Authority}/…";

    private static string Hide(string message, Uri url) => message
        .Replace(url.AbsoluteUri, Shown(url), StringComparison.Ordinal)
        .Replace(url.OriginalString, Shown(url), StringComparison.Ordinal)
        .Replace(url.PathAndQuery, "/…", StringComparison.Ordinal);

    /// <summary>Stops without waiting: what is queued or under way is given up. Hosts and commands dispose asynchronously, which waits.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _queue.Writer.TryComplete();
        _stopping.Cancel();
        _http.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _queue.Writer.TryComplete();
        using var deadline = new CancellationTokenSource(_settings.DrainTimeout);
        try
        {
            // Deliveries already queued or under way get until the deadline; retries included.
            await _pump.WaitAsync(deadline.Token);
            await Task.WhenAll(_sending.Values).WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            LogDrainTimedOut(_logger, _settings.DrainTimeout, _sending.Count + _queue.Reader.Count);
        }

        await _stopping.CancelAsync();
        await Task.WhenAll(_sending.Values).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _http.Dispose();
    }

    private sealed record Delivery(Uri Url, string Body, Notification Notification, SecretRedactor Redactor);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Notification {EventName} of run {RunId} delivered to {Webhook} (attempt {Attempt})")]
    private static partial void LogDelivered(ILogger logger, string eventName, string runId, string webhook, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification {EventName} of run {RunId} to {Webhook} failed (attempt {Attempt}): {Problem}; trying again in {Delay}")]
    private static partial void LogRetrying(ILogger logger, string eventName, string runId, string webhook, int attempt, string problem, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gave up notifying {Webhook} of {EventName} for run {RunId} of {Pipeline}: {Problem}; the run is not affected, check the webhook address and that it accepts JSON posts")]
    private static partial void LogGaveUp(ILogger logger, string eventName, string runId, string pipeline, string webhook, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {EventName} of run {RunId} to {Webhook} dropped: {Capacity} notifications are already waiting to be delivered")]
    private static partial void LogDropped(ILogger logger, string eventName, string runId, string webhook, int capacity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A notification of run {RunId} could not be queued: {Problem}")]
    private static partial void LogNotQueued(ILogger logger, string problem, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopped waiting for webhook deliveries after {Timeout}; {Count} notifications were not delivered")]
    private static partial void LogDrainTimedOut(ILogger logger, TimeSpan timeout, int count);
}
