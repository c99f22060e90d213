using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Features;

/// <summary><see cref="IFeatureLookup"/> over <see cref="FeatureStore"/>: the store the command line reads.</summary>
public sealed class FeatureStoreLookup(IArtifactStore artifacts, SourceReaders sources) : IFeatureLookup
{
    private readonly FeatureStore _store = new(artifacts, sources);

    public async Task<IReadOnlyList<FeatureFreshness>> MaterializationsAsync(FeatureViewSpec view, CancellationToken ct) =>
        [.. (await _store.MaterializationsAsync(view, ct)).Select(m => new FeatureFreshness(m.Key, m.Written, m.Events, m.Current))];

    public async Task<FeatureLookupResult> GetAsync(FeatureViewSpec view, IReadOnlyList<string> entity, DateTimeOffset at, CancellationToken ct)
    {
        var (values, problem) = await _store.GetAsync(view, entity, at, _ => { }, ct);
        return values is null
            ? FeatureLookupResult.Failed(problem ?? "the values could not be computed")
            : new FeatureLookupResult(values.Values, null, values.Materialization, values.Events, values.Reused);
    }
}
