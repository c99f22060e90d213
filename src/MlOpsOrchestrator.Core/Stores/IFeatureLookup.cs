using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Stores;

/// <summary>
/// The offline feature store as a host's pages see it: how fresh a view's materializations are, and one entity's
/// values as of a time, computed by the same code as <c>mlops features get --at</c> and the training join. A contract
/// here so the dashboard, which has no ML.NET, reads the store the command line reads.
/// </summary>
public interface IFeatureLookup
{
    /// <summary>The view's materializations, newest first (from the artifact store, so any node's).</summary>
    Task<IReadOnlyList<FeatureFreshness>> MaterializationsAsync(FeatureViewSpec view, CancellationToken ct);

    /// <summary>
    /// The features of <paramref name="entity"/> (its key columns' values, in the view's order) as of
    /// <paramref name="at"/>; materializes the view first when no materialization is of its source as it is now.
    /// </summary>
    Task<FeatureLookupResult> GetAsync(FeatureViewSpec view, IReadOnlyList<string> entity, DateTimeOffset at, CancellationToken ct);
}
