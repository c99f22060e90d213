using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Tests.Data;

/// <summary>data_prep never touches the registry; any call is a test failure.</summary>
internal sealed class UnusedModelRegistry : IModelRegistry
{
    public Task<ModelVersion> RegisterAsync(ModelVersion version, CancellationToken ct) => throw Unused();

    public Task<ModelVersion?> GetAsync(string name, int version, CancellationToken ct) => throw Unused();

    public Task<IReadOnlyList<ModelVersion>> ListVersionsAsync(string name, CancellationToken ct) => throw Unused();

    public Task<IReadOnlyList<string>> ListNamesAsync(CancellationToken ct) => throw Unused();

    public Task<IReadOnlyDictionary<string, int>> GetAliasesAsync(string name, CancellationToken ct) => throw Unused();

    public Task<AliasChange> MoveAliasAsync(string name, string alias, int version, string by, string? reason, DateTimeOffset at, CancellationToken ct) => throw Unused();

    public Task<IReadOnlyList<AliasChange>> GetAliasHistoryAsync(string name, CancellationToken ct) => throw Unused();

    private static NotSupportedException Unused() => new("data_prep must not use the model registry");
}
