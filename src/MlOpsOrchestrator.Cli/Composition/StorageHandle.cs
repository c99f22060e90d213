using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Storage;

namespace MlOpsOrchestrator.Cli.Composition;

/// <summary>
/// The composed product's <see cref="StorageSet"/>: opened (and migrated) once, when a host starts (before the
/// scheduler, the queue and the HTTP server do) or when a one-shot command opens its runtime, and disposed with the
/// container. Stores are resolved through it from requests and jobs;
/// a hosted service must resolve them when it starts, not in its constructor (hosted services are built first).
/// </summary>
internal sealed class StorageHandle(StorageChoice choice, ILoggerFactory loggers, TimeProvider time) : IAsyncDisposable
{
    private StorageSet? _storage = choice.Opened;

    public StorageSet Storage => _storage
        ?? throw new InvalidOperationException("the storage opens when the host starts; resolve stores in a request or a job, not while the host is being composed");

    public async Task OpenAsync(CancellationToken ct)
    {
        if (_storage is not null || choice.Home is not { } home)
        {
            return;
        }

        var options = new Storage.StorageOptions { LoggerFactory = loggers, TimeProvider = time };
        if (ArtifactCacheSetting.Bytes(Environment.GetEnvironmentVariable) is { } cacheBytes)
        {
            options.ArtifactCacheBytes = cacheBytes;
        }

        _storage = choice.Postgres is { } postgres
            ? await MlOpsStorage.OpenPostgresAsync(postgres, home, options, ct)
            : await MlOpsStorage.OpenSqliteAsync(home, options, ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_storage is not null && choice.Opened is null)
        {
            await _storage.DisposeAsync();
            _storage = null;
        }
    }
}
