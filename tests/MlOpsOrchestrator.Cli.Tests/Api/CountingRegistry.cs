using System.Collections.Concurrent;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Cli.Tests.Api;

/// <summary>The real registry, counting the reads serving makes: alias reads, and version reads (one per load attempt).</summary>
internal sealed class CountingRegistry(IModelRegistry inner) : IModelRegistry
{
    private int _aliasReads;

    public int AliasReads => Volatile.Read(ref _aliasReads);

    public ConcurrentDictionary<int, int> VersionReads { get; } = new();

    public Task<ModelVersion> RegisterAsync(ModelVersion version, CancellationToken ct) => inner.RegisterAsync(version, ct);

    public Task<ModelVersion?> GetAsync(string name, int version, CancellationToken ct)
    {
        VersionReads.AddOrUpdate(version, 1, (_, n) => n + 1);
        return inner.GetAsync(name, version, ct);
    }

    public Task<IReadOnlyList<ModelVersion>> ListVersionsAsync(string name, CancellationToken ct) => inner.ListVersionsAsync(name, ct);

    public Task<IReadOnlyList<string>> ListNamesAsync(CancellationToken ct) => inner.ListNamesAsync(ct);

    public Task<IReadOnlyDictionary<string, int>> GetAliasesAsync(string name, CancellationToken ct)
    {
        Interlocked.Increment(ref _aliasReads);
        return inner.GetAliasesAsync(name, ct);
    }

    public Task<AliasChange> MoveAliasAsync(string name, string alias, int version, string by, string? reason, DateTimeOffset at, CancellationToken ct) =>
        inner.MoveAliasAsync(name, alias, version, by, reason, at, ct);

    public Task<AliasChange> RouteAliasAsync(string name, string alias, int version, AliasRoute route, string by, string? reason, DateTimeOffset at, CancellationToken ct) =>
        inner.RouteAliasAsync(name, alias, version, route, by, reason, at, ct);

    public Task<IReadOnlyDictionary<string, AliasRoute>> GetRoutesAsync(string name, CancellationToken ct) => inner.GetRoutesAsync(name, ct);
    public Task<AliasChange> RemoveAliasAsync(string name, string alias, string by, string? reason, DateTimeOffset at, CancellationToken ct) =>
        inner.RemoveAliasAsync(name, alias, by, reason, at, ct);

    public Task<IReadOnlyList<AliasChange>> GetAliasHistoryAsync(string name, CancellationToken ct) => inner.GetAliasHistoryAsync(name, ct);

    public Task<bool> DeleteVersionAsync(string name, int version, CancellationToken ct) => inner.DeleteVersionAsync(name, version, ct);
}
