using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Loading;
using Quartz;

namespace MlOpsOrchestrator.Scheduling.Quartz;

/// <summary>
/// Keeps Quartz in step with the pipelines folder: refreshes the <see cref="PipelineCatalog"/> at start, after file
/// changes (debounced) and every <see cref="SchedulerSettings.RescanInterval"/> (watchers miss events on some file
/// systems), and reconciles Quartz whenever the wanted cron triggers differ from the last ones applied, every
/// <see cref="FullCheckInterval"/> anyway, and at every rescan for a while after Quartz reported a store error (see
/// <see cref="SchedulerErrorWatch"/>: a trigger left in <c>ERROR</c> is reset once the database answers). An invalid edit
/// changes nothing scheduled: the catalog keeps the last valid definition, and the errors are logged once.
/// </summary>
internal sealed class TriggerSynchronizer(
    PipelineCatalog catalog,
    ISchedulerFactory schedulers,
    ScheduleReconciler reconciler,
    IScheduleLock scheduleLock,
    CatalogReport report,
    SchedulerErrorWatch errors,
    SchedulerSettings settings,
    TimeProvider time,
    ILogger<TriggerSynchronizer> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(250);

    /// <summary>Even when nothing seems to change, Quartz is compared with the folder this often (self-healing).</summary>
    private static readonly TimeSpan FullCheckInterval = TimeSpan.FromMinutes(1);

    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stopping = new();
    private FileSystemWatcher? _watcher;
    private bool _watchUnavailable;
    private Task? _loop;
    private string? _appliedFingerprint;
    private DateTimeOffset _appliedAt;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(catalog.Folder))
        {
            logger.LogWarning("Pipelines folder {Folder} does not exist; it is rescanned every {RescanInterval}", catalog.Folder, settings.RescanInterval);
        }

        errors.Noticed += OnSchedulerError;
        await SyncAsync(cancellationToken);
        _loop = Task.Run(() => LoopAsync(_stopping.Token), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        errors.Noticed -= OnSchedulerError;
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop.WaitAsync(cancellationToken);
        }

        _watcher?.Dispose();
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _stopping.Dispose();
    }

    /// <summary>One pass: refresh the catalog, log what changed, and bring Quartz in line if needed.</summary>
    internal async Task SyncAsync(CancellationToken ct)
    {
        EnsureWatching();
        CatalogChange change;
        try
        {
            change = catalog.Refresh();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(e, "Cannot read the pipelines folder {Folder}; keeping the current schedule", catalog.Folder);
            return;
        }

        var entries = catalog.Entries;
        report.Changes(change);
        report.InvalidFiles(entries);

        var wanted = ScheduledTrigger.From(entries);
        var fingerprint = ScheduledTrigger.Fingerprint(wanted);
        var now = time.GetUtcNow();
        var recentError = errors.LastError is { } error && now - error < FullCheckInterval;
        if (fingerprint == _appliedFingerprint && now - _appliedAt < FullCheckInterval && !recentError)
        {
            return;
        }

        try
        {
            var scheduler = await schedulers.GetScheduler(ct);
            bool settled;
            await using (await scheduleLock.AcquireAsync(ct))
            {
                settled = await reconciler.ReconcileAsync(scheduler, wanted, ct);
            }

            _appliedFingerprint = settled ? fingerprint : null;
            _appliedAt = now;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            _appliedFingerprint = null;
            logger.LogWarning(e, "Could not bring the Quartz schedule in line with {Folder}; retrying in {RescanInterval}", catalog.Folder, settings.RescanInterval);
        }
    }

    private async Task LoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await WaitForChangeAsync(stopping);
                await SyncAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Synchronizing the schedule with {Folder} failed; retrying in {RescanInterval}", catalog.Folder, settings.RescanInterval);
            }
        }
    }

    /// <summary>Returns after <see cref="SchedulerSettings.RescanInterval"/>, or sooner after a burst of file events has settled.</summary>
    private async Task WaitForChangeAsync(CancellationToken stopping)
    {
        using var timeout = new CancellationTokenSource(settings.RescanInterval, time);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stopping, timeout.Token);
        try
        {
            await _changed.Reader.WaitToReadAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            return;
        }

        await Task.Delay(Debounce, time, stopping);
        while (_changed.Reader.TryRead(out _))
        {
        }
    }

    /// <summary>Watches the folder once it exists, and again after it was removed and recreated.</summary>
    private void EnsureWatching()
    {
        var folder = catalog.Folder;
        if (_watchUnavailable || (_watcher is not null && Directory.Exists(folder)))
        {
            return;
        }

        _watcher?.Dispose();
        _watcher = null;
        if (!Directory.Exists(folder))
        {
            return;
        }

        try
        {
            var watcher = new FileSystemWatcher(folder)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
            };
            watcher.Created += OnFileEvent;
            watcher.Changed += OnFileEvent;
            watcher.Deleted += OnFileEvent;
            watcher.Renamed += OnFileEvent;
            watcher.Error += (_, _) => _changed.Writer.TryWrite(true);
            watcher.EnableRaisingEvents = true;
            _watcher = watcher;
        }
        catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException)
        {
            _watchUnavailable = true;
            logger.LogWarning(e, "Cannot watch {Folder}; relying on the rescan every {RescanInterval}", folder, settings.RescanInterval);
        }
    }

    private void OnFileEvent(object sender, FileSystemEventArgs e) => _changed.Writer.TryWrite(true);

    private void OnSchedulerError() => _changed.Writer.TryWrite(true);
}
