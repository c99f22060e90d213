namespace MlOpsOrchestrator.Loading;

/// <summary>What a refresh changed in the scheduled definitions (an invalid edit changes nothing scheduled).</summary>
public sealed record CatalogChange(IReadOnlyList<CatalogEntry> Added, IReadOnlyList<CatalogEntry> Updated, IReadOnlyList<CatalogEntry> Removed)
{
    public bool IsEmpty => Added.Count == 0 && Updated.Count == 0 && Removed.Count == 0;
}
