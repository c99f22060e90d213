using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MlOpsOrchestrator.Scheduling.Quartz;

/// <summary>
/// Embedded mode: makes this process the only scheduler on the SQLite store, before the store is touched. Quartz's
/// SQLite store is not clustered (it serializes its work with an in-process lock), so two processes on one file would
/// both fire every trigger and each would "recover" the other's fires at its start. The lock is an exclusive lock on
/// <see cref="SchedulerSettings.SqliteLockPath"/>, held from the <c>Starting</c> phase until the host has stopped; the
/// operating system releases it when the process dies, even by <c>kill -9</c>, so a crash never leaves it stale.
/// </summary>
internal sealed class SqliteStoreOwnership(SchedulerSettings settings, ILogger<SqliteStoreOwnership> logger) : IHostedLifecycleService, IDisposable
{
    private FileStream? _lock;

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        if (settings.SqliteLockPath is not { } path || _lock is not null)
        {
            return Task.CompletedTask;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            // FileShare.None takes an exclusive advisory lock on Unix (and a sharing lock on Windows).
            _lock = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new ScheduleStoreInUseException(
                $"another mlops serve already runs the schedule in {settings.SqlitePath} (it holds {path}); the embedded mode runs one serve per " +
                "home folder: stop the other one, give this one another --home, or use PostgreSQL (--postgres) to run several serves", e);
        }

        logger.LogDebug("This process owns the embedded schedule store {Store}", settings.SqlitePath);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Every hosted service, Quartz included, has stopped: another process may take the store over.</summary>
    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _lock?.Dispose();
        _lock = null;
    }
}
