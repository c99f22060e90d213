namespace MlOpsOrchestrator.Stores;

/// <summary>
/// One entity's feature values as of a time (feature name → value, null when missing), with the materialization
/// they were computed from; or, with <see cref="Values"/> null, the <see cref="Problem"/> that prevented it.
/// </summary>
public sealed record FeatureLookupResult(IReadOnlyDictionary<string, double?>? Values, string? Problem, string? Materialization = null, long Events = 0, bool Reused = false)
{
    public static FeatureLookupResult Failed(string problem) => new(null, problem);
}
