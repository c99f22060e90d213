namespace MlOpsOrchestrator.Evaluations;

/// <summary>
/// Two versions of a model side by side, slice by slice, worst change first. When one evaluate step measured both (the
/// newer as candidate, the older as production) the numbers are from that step, on the same rows: <see cref="RunId"/>
/// names it. Otherwise each version's newest evaluation is used and <see cref="RunId"/> is null: the rows may differ
/// (compare <see cref="DataHashA"/> and <see cref="DataHashB"/>).
/// </summary>
public sealed record VersionComparison(
    string Model, int A, int B, string? RunId, string? DataHashA, string? DataHashB, IReadOnlyList<SliceComparison> Slices);
