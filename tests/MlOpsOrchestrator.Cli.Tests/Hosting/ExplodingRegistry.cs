using Microsoft.Extensions.DependencyInjection;
using MlOpsOrchestrator.Storage;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Cli.Tests.Hosting;

/// <summary>The real registry, except that reading the model <see cref="ServeHarness.ExplodingRunId"/> throws: a stand-in for a bug behind predict and the model pages.</summary>
internal sealed class ExplodingRegistry(IModelRegistry inner) : IModelRegistry
{
    public static IModelRegistry Wrap(IServiceProvider services) => new ExplodingRegistry(services.GetRequiredService<StorageSet>().Registry);

    public Task<ModelVersion> RegisterAsync(ModelVersion version, CancellationToken ct) => inner.RegisterAsync(version, ct);

    public Task<ModelVersion?> GetAsync(string name, int version, CancellationToken ct) => Explode<ModelVersion?>(name) ?? inner.GetAsync(name, version, ct);

    public Task<IReadOnlyList<ModelVersion>> ListVersionsAsync(string name, CancellationToken ct) => Explode<IReadOnlyList<ModelVersion>>(name) ?? inner.ListVersionsAsync(name, ct);

    public Task<IReadOnlyList<string>> ListNamesAsync(CancellationToken ct) => inner.ListNamesAsync(ct);

    public Task<IReadOnlyDictionary<string, int>> GetAliasesAsync(string name, CancellationToken ct) => Explode<IReadOnlyDictionary<string, int>>(name) ?? inner.GetAliasesAsync(name, ct);

    public Task<AliasChange> MoveAliasAsync(string name, string alias, int version, string by, string? reason, DateTimeOffset at, CancellationToken ct) =>
        Explode<AliasChange>(name) ?? inner.MoveAliasAsync(name, alias, version, by, reason, at, ct);

    public Task<AliasChange> RouteAliasAsync(string name, string alias, int version, AliasRoute route, string by, string? reason, DateTimeOffset at, CancellationToken ct) =>
        Explode<AliasChange>(name) ?? inner.RouteAliasAsync(name, alias, version, route, by, reason, at, ct);

    public Task<IReadOnlyDictionary<string, AliasRoute>> GetRoutesAsync(string name, CancellationToken ct) =>
        Explode<IReadOnlyDictionary<string, AliasRoute>>(name) ?? inner.GetRoutesAsync(name, ct);
    public Task<AliasChange> RemoveAliasAsync(string name, string alias, string by, string? reason, DateTimeOffset at, CancellationToken ct) =>
        Explode<AliasChange>(name) ?? inner.RemoveAliasAsync(name, alias, by, reason, at, ct);

    public Task<IReadOnlyList<AliasChange>> GetAliasHistoryAsync(string name, CancellationToken ct) => Explode<IReadOnlyList<AliasChange>>(name) ?? inner.GetAliasHistoryAsync(name, ct);

    private static Task<T>? Explode<T>(string name) =>
        name == ServeHarness.ExplodingRunId ? throw new InvalidOperationException(ExplodingRunStore.Secret) : null;

    public Task<bool> DeleteVersionAsync(string name, int version, CancellationToken ct) => Explode<bool>(name) ?? inner.DeleteVersionAsync(name, version, ct);
}
