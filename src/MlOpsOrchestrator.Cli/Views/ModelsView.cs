using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Cli.Views;

/// <summary>The JSON shape of <c>mlops models NAME --json</c> and <c>GET /api/models/{name}</c>.</summary>
internal sealed record ModelsView(
    string Name,
    IReadOnlyDictionary<string, int> Aliases,
    IReadOnlyList<ModelVersionView> Versions,
    IReadOnlyList<AliasChangeView> AliasHistory)
{
    public static async Task<ModelsView?> LoadAsync(IModelRegistry registry, string name, CancellationToken ct)
    {
        var versions = await registry.ListVersionsAsync(name, ct);
        if (versions.Count == 0)
        {
            return null;
        }

        var aliases = await registry.GetAliasesAsync(name, ct);
        var history = await registry.GetAliasHistoryAsync(name, ct);
        return new ModelsView(
            name,
            aliases,
            versions.Select(v => new ModelVersionView(v.Version, v.RunId, v.PipelineVersion, v.DataHash, v.Metrics, v.CreatedAt, v.Properties)).ToList(),
            history.Select(h => new AliasChangeView(h.Alias, h.Version, h.PreviousVersion, h.By, h.Reason, h.At)).ToList());
    }
}

internal sealed record ModelVersionView(
    int Version, string RunId, string PipelineVersion, string DataHash, IReadOnlyDictionary<string, double> Metrics, DateTimeOffset CreatedAt, IReadOnlyDictionary<string, string> Properties);

internal sealed record AliasChangeView(string Alias, int Version, int? PreviousVersion, string By, string? Reason, DateTimeOffset At);
