using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Execution;

/// <summary>A model with every version (oldest first), where its aliases point and every audited alias move (oldest first).</summary>
public sealed record ModelDetails(
    string Name,
    IReadOnlyDictionary<string, int> Aliases,
    IReadOnlyList<ModelVersion> Versions,
    IReadOnlyList<AliasChange> AliasHistory)
{
    /// <summary>The share of requests each routed alias answers (a canary's), by alias; the others have none.</summary>
    public IReadOnlyDictionary<string, AliasRoute> Routes { get; init; } = new Dictionary<string, AliasRoute>();

    /// <summary><c>canary → v7 (10% by customer_id)</c> for an alias that has a route, else <c>production → v5</c>.</summary>
    public string Describe(string alias, int version, string arrow = "→") =>
        Routes.TryGetValue(alias, out var route) && Aliases.ContainsKey(alias) ? $"{alias} {arrow} v{version} ({route})" : $"{alias} {arrow} v{version}";

    /// <summary>The version a rollback of <paramref name="alias"/> would move it to now (<see cref="AliasRollback"/>), or null when there is none.</summary>
    public int? RollbackTarget(string alias) => AliasRollback.Target(AliasHistory, alias);
}
