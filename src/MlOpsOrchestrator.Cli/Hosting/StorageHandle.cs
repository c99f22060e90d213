using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Storage;

namespace MlOpsOrchestrator.Cli.Hosting;

/// <summary>
/// The host's <see cref="StorageSet"/>: opened (and migrated) once when the host starts, before the scheduler, the
/// queue and the HTTP server do, and disposed with the host. Stores are resolved through it from requests and jobs;
/// a hosted service must resolve them when it starts, not in its constructor (hosted services are built first).
/// </summary>
internal sealed class StorageHandle(MlOpsHostSettings settings, ILoggerFactory loggers, TimeProvider time) : IAsyncDisposable
{
    private StorageSet? _storage;

    public StorageSet Storage => _storage
        ?? throw new InvalidOperationException("the storage opens when the host starts; resolve stores in a request or a job, not while the host is being composed");

    public async Task OpenAsync(CancellationToken ct)
    {
        if (_storage is not null)
        {
            return;
        }

        var options = new Storage.StorageOptions { LoggerFactory = loggers, TimeProvider = time };
        _storage = settings.Postgres is { } postgres
            ? await MlOpsStorage.OpenPostgresAsync(postgres, settings.Home, options, ct)
            : await MlOpsStorage.OpenSqliteAsync(settings.Home, options, ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_storage is not null)
        {
            await _storage.DisposeAsync();
            _storage = null;
        }
    }
}
