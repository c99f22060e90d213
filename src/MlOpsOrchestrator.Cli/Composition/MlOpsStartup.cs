using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MlOpsOrchestrator.Cli.Composition;

/// <summary>
/// Runs before every other hosted service starts (<see cref="IHostedLifecycleService.StartingAsync"/>): opens and
/// migrates the storage, so the scheduler, the queue and the HTTP server never see a process without its stores.
/// (The scheduler's synchronizer loads the pipelines folder when it starts.)
/// </summary>
internal sealed class MlOpsStartup(StorageHandle storage, ILogger<MlOpsStartup> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await storage.OpenAsync(cancellationToken);
        logger.LogInformation("Storage {Storage} is open", storage.Storage.Description);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
