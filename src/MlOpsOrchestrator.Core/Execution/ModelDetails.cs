using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Execution;

/// <summary>A model with every version (oldest first), where its aliases point and every audited alias move (oldest first).</summary>
public sealed record ModelDetails(
    string Name,
    IReadOnlyDictionary<string, int> Aliases,
    IReadOnlyList<ModelVersion> Versions,
    IReadOnlyList<AliasChange> AliasHistory)
{
    /// <summary>The version a rollback of <paramref name="alias"/> would move it to now (<see cref="AliasRollback"/>), or null when there is none.</summary>
    public int? RollbackTarget(string alias) => AliasRollback.Target(AliasHistory, alias);
}
