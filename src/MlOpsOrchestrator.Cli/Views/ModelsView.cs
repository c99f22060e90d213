using MlOpsOrchestrator.Execution;

namespace MlOpsOrchestrator.Cli.Views;

/// <summary>The JSON shape of <c>mlops models NAME --json</c> and <c>GET /api/models/{name}</c>.</summary>
internal sealed record ModelsView(
    string Name,
    IReadOnlyDictionary<string, int> Aliases,
    IReadOnlyList<ModelVersionView> Versions,
    IReadOnlyList<AliasChangeView> AliasHistory)
{
    public static async Task<ModelsView?> LoadAsync(IModelService models, string name, CancellationToken ct) =>
        await models.GetAsync(name, ct) is { } model ? From(model) : null;

    public static ModelsView From(ModelDetails model) => new(
        model.Name,
        model.Aliases,
        model.Versions.Select(v => new ModelVersionView(v.Version, v.RunId, v.PipelineVersion, v.DataHash, v.Metrics, v.CreatedAt, v.Properties)).ToList(),
        model.AliasHistory.Select(h => new AliasChangeView(h.Alias, h.Version, h.PreviousVersion, h.By, h.Reason, h.At, h.Removed)).ToList());
}

internal sealed record ModelVersionView(
    int Version, string RunId, string PipelineVersion, string DataHash, IReadOnlyDictionary<string, double> Metrics, DateTimeOffset CreatedAt, IReadOnlyDictionary<string, string> Properties);

/// <summary>One alias move; <c>removed</c> marks a withdrawal (the alias no longer exists after it).</summary>
internal sealed record AliasChangeView(string Alias, int Version, int? PreviousVersion, string By, string? Reason, DateTimeOffset At, bool Removed);
