namespace MlOpsOrchestrator.Stores;

/// <summary>
/// What "roll back" means for an alias, in one place for the CLI, the API and the dashboard: move it to the version
/// before the newest move that has not been rolled back yet. Each rollback undoes one earlier move, so rolling back
/// twice after v1 → v2 → v3 lands on v1, not back on v3.
/// </summary>
public static class AliasRollback
{
    /// <summary>The reason recorded on a rollback move; how later rollbacks recognise it.</summary>
    public const string ReasonPrefix = "rollback from version ";

    public static string Reason(int fromVersion) => $"{ReasonPrefix}{fromVersion}";

    /// <summary>The version to roll <paramref name="alias"/> back to, or null when there is no earlier one.</summary>
    public static int? Target(IReadOnlyList<AliasChange> history, string alias)
    {
        var undone = 0;
        foreach (var change in history.Where(h => h.Alias == alias).Reverse())
        {
            if (change.Reason?.StartsWith(ReasonPrefix, StringComparison.Ordinal) == true)
            {
                undone++;
            }
            else if (undone > 0)
            {
                undone--;
            }
            else
            {
                return change.PreviousVersion;
            }
        }

        return null;
    }
}
