using System.Net;
using Microsoft.Extensions.DependencyInjection;
using MlOpsOrchestrator.Cli.Composition;
using MlOpsOrchestrator.Cli.Api;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.Storage;

namespace MlOpsOrchestrator.Cli.Hosting;

/// <summary>What a started host prints on stdout: the storage, the pipelines it loaded (and the files it could not), and where to look.</summary>
internal static class StartupReport
{
    public static async Task WriteAsync(TextWriter output, IServiceProvider services, MlOpsHostSettings settings)
    {
        var storage = services.GetRequiredService<StorageSet>();
        var mode = settings.Embedded
            ? $"embedded: the run queue lives in this process, the schedules in sqlite:{settings.Scheduler().SqlitePath}"
            : "shared: Hangfire queues and the Quartz cluster in this database";
        if (settings.Role == HostRole.Worker)
        {
            await output.WriteLineAsync($"mlops worker: runs from queue(s) {string.Join(", ", settings.Queues)}, {settings.WorkerCount} at a time; no scheduler, no HTTP");
            await output.WriteLineAsync($"storage:   {storage.Description} ({mode})");
            await output.WriteLineAsync($"logs:      {settings.LogsFolder}");
            await output.WriteLineAsync("stop with Ctrl+C (SIGTERM); a run cut off is resumed by another worker after its last finished step");
            return;
        }

        var catalog = services.GetRequiredService<PipelineCatalog>();
        var entries = catalog.Entries;
        var invalid = entries.Where(e => e.Errors.Count > 0).ToList();
        await output.WriteLineAsync($"mlops serve: scheduler, executor ({settings.WorkerCount} run(s) at a time), dashboard and API");
        await output.WriteLineAsync($"storage:   {storage.Description} ({mode})");
        await output.WriteLineAsync($"pipelines: {entries.Count(e => e.Definition is not null)} loaded from {catalog.Folder}, {invalid.Count} invalid file(s)");
        foreach (var entry in invalid)
        {
            var first = entry.Errors[0];
            var more = entry.Errors.Count > 1 ? $" (+{entry.Errors.Count - 1} more; 'mlops validate {entry.File}' lists them)" : "";
            var state = entry.Definition is null ? "not loaded" : "its last valid version stays scheduled";
            await output.WriteLineAsync($"  {Path.GetRelativePath(catalog.Folder, entry.File)}:{first.Line}:{first.Column}: {first.Message}{more}; {state}");
        }

        var addresses = HostAddresses.Of(services);
        foreach (var address in addresses)
        {
            await output.WriteLineAsync($"dashboard: {address.TrimEnd('/')}{MlOpsHostSettings.DashboardPath}");
            await output.WriteLineAsync($"api:       {address.TrimEnd('/')}/api/pipelines  (health: {address.TrimEnd('/')}/health)");
        }

        if (services.GetService<AllowedHosts>() is { } hosts)
        {
            await output.WriteLineAsync($"hosts:     answers to {hosts.Describe()}; other names get 400 (add them to {AllowedHosts.Variable})");
        }

        if (addresses.Any(a => !IsLoopback(a)))
        {
            await output.WriteLineAsync("listening beyond this machine: callers from elsewhere need 'Authorization: Bearer' with MLOPS_API_TOKEN (or MLOPS_VIEWER_TOKEN to read); without one they get 401");
        }

        await output.WriteLineAsync($"logs:      {settings.LogsFolder}");
        await output.WriteLineAsync("stop with Ctrl+C (SIGTERM)");
    }

    private static bool IsLoopback(string address)
    {
        if (!Uri.TryCreate(address.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return false;
        }

        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }
}
