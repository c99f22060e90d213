using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Retention;

/// <summary>
/// Which versions of one model garbage collection keeps, and why: the rule of <c>retention:</c> applied to the
/// model's versions, its aliases now and its alias history. Pure: the same inputs give the same plan.
/// </summary>
public static class RetentionPlan
{
    /// <summary>The versions of <paramref name="versions"/> to delete (oldest first); every other version is kept.</summary>
    /// <param name="versions">The model's versions, in any order.</param>
    /// <param name="aliases">Alias to version, now: never deleted.</param>
    /// <param name="history">Every alias move; a version an alias pointed to at any time since <paramref name="now"/> minus <c>KeepAliasedFor</c> is kept.</param>
    /// <param name="inFlight">The ids of runs that have not ended: the versions they registered are kept until they end.</param>
    /// <param name="retention">The rule of the pipeline that made the model.</param>
    /// <param name="now">When the collection runs.</param>
    public static IReadOnlyList<ModelVersion> VersionsToDelete(
        IReadOnlyList<ModelVersion> versions, IReadOnlyDictionary<string, int> aliases, IReadOnlyList<AliasChange> history,
        ISet<string> inFlight, Specs.RetentionSpec retention, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(versions);
        ArgumentNullException.ThrowIfNull(aliases);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(inFlight);
        ArgumentNullException.ThrowIfNull(retention);
        var keep = new HashSet<int>(versions.Select(v => v.Version).OrderDescending().Take(retention.KeepVersions));
        keep.UnionWith(aliases.Values);

        // A move within the window: the version it pointed the alias to, and the one it pointed to until then.
        var since = now - retention.KeepAliasedFor;
        foreach (var change in history.Where(h => h.At >= since))
        {
            keep.Add(change.Version);
            if (change.PreviousVersion is { } previous)
            {
                keep.Add(previous);
            }
        }

        // An alias's current version since before the window is in aliases; one it left before the window is not kept.
        return [.. versions.Where(v => !keep.Contains(v.Version) && !inFlight.Contains(v.RunId)).OrderBy(v => v.Version)];
    }
}
