using MlOpsOrchestrator.Execution;

namespace MlOpsOrchestrator.Cli.Views;

/// <summary>The JSON shape of <c>mlops models NAME --json</c> and <c>GET /api/models/{name}</c>.</summary>
internal sealed record ModelsView(
    string Name,
    IReadOnlyDictionary<string, int> Aliases,
    IReadOnlyList<ModelVersionView> Versions,
    IReadOnlyList<AliasChangeView> AliasHistory)
{
    /// <summary>The share of requests each routed alias answers (a canary's): <c>{"canary": {"traffic": 0.1, "key": "customer_id"}}</c>.</summary>
    public IReadOnlyDictionary<string, AliasRouteView> Routes { get; init; } = new Dictionary<string, AliasRouteView>();

    public static async Task<ModelsView?> LoadAsync(IModelService models, string name, CancellationToken ct) =>
        await models.GetAsync(name, ct) is { } model ? From(model) : null;

    public static ModelsView From(ModelDetails model) => new(
        model.Name,
        model.Aliases,
        model.Versions.Select(v => new ModelVersionView(v.Version, v.RunId, v.PipelineVersion, v.DataHash, v.Metrics, v.CreatedAt, v.Properties)).ToList(),
        model.AliasHistory.Select(h => new AliasChangeView(h.Alias, h.Version, h.PreviousVersion, h.By, h.Reason, h.At, h.Removed)
        {
            Traffic = h.Route?.Traffic,
            Key = h.Route?.Key,
        }).ToList())
    {
        Routes = model.Routes.Where(r => model.Aliases.ContainsKey(r.Key)).ToDictionary(r => r.Key, r => new AliasRouteView(r.Value.Traffic, r.Value.Key), StringComparer.Ordinal),
    };
}

internal sealed record ModelVersionView(
    int Version, string RunId, string PipelineVersion, string DataHash, IReadOnlyDictionary<string, double> Metrics, DateTimeOffset CreatedAt, IReadOnlyDictionary<string, string> Properties);

/// <summary>
/// One alias move; <see cref="Traffic"/> and <see cref="Key"/> are the share the alias answered after it (a canary's), else null;
/// <c>removed</c> marks a withdrawal (the alias no longer exists after it).
/// </summary>
internal sealed record AliasChangeView(string Alias, int Version, int? PreviousVersion, string By, string? Reason, DateTimeOffset At, bool Removed)
{
    public double? Traffic { get; init; }

    public string? Key { get; init; }
}

/// <summary>The share of requests a routed alias answers, and the request field it is sticky on (null: the X-Request-Key header, else per request).</summary>
internal sealed record AliasRouteView(double Traffic, string? Key);
