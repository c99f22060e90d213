using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.Storage;

namespace MlOpsOrchestrator.Cli.Api;

/// <summary><c>GET /health</c>: liveness, and whether the storage answers (503 when it does not).</summary>
internal static class HealthEndpoints
{
    /// <summary>A database that takes longer than this to answer <c>SELECT 1</c> counts as unreachable.</summary>
    public static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(5);

    public static void Map(IEndpointRouteBuilder routes) => routes.MapGet("/health", GetAsync);

    private static async Task<IResult> GetAsync(StorageSet storage, PipelineCatalog catalog, ApiSettings settings, TimeProvider time, CancellationToken ct)
    {
        var reachable = await PingAsync(storage, ct);
        var view = new HealthView(
            reachable ? "ok" : "unavailable",
            reachable ? "ok" : "unreachable",
            settings.EmbeddedStorage ? "embedded" : "postgresql",
            catalog.Entries.Count(e => e.Definition is not null),
            time.GetUtcNow());
        return ApiJson.Status(view, reachable ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<bool> PingAsync(StorageSet storage, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(PingTimeout);
        try
        {
            return await storage.PingAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }
}
