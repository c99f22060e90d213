using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Execution;

/// <summary>A model with every version (oldest first), where its aliases point and every audited alias move (oldest first).</summary>
public sealed record ModelDetails(
    string Name,
    IReadOnlyDictionary<string, int> Aliases,
    IReadOnlyList<ModelVersion> Versions,
    IReadOnlyList<AliasChange> AliasHistory);
