namespace MlOpsOrchestrator.Stores;

/// <summary>
/// Versioned models and their aliases. Registration is idempotent per (name, run, step) so a deploy re-executed after
/// a crash never registers twice; alias moves are atomic and audited.
/// </summary>
public interface IModelRegistry
{
    /// <summary>
    /// Registers the next version of <see cref="ModelVersion.Name"/> (the <see cref="ModelVersion.Version"/> given is
    /// ignored and assigned here). When (name, run, step) is already registered, returns that version unchanged.
    /// </summary>
    Task<ModelVersion> RegisterAsync(ModelVersion version, CancellationToken ct);

    Task<ModelVersion?> GetAsync(string name, int version, CancellationToken ct);

    /// <summary>Oldest first.</summary>
    Task<IReadOnlyList<ModelVersion>> ListVersionsAsync(string name, CancellationToken ct);

    Task<IReadOnlyList<string>> ListNamesAsync(CancellationToken ct);

    Task<IReadOnlyDictionary<string, int>> GetAliasesAsync(string name, CancellationToken ct);

    /// <summary>
    /// Points <paramref name="alias"/> at <paramref name="version"/> and appends the change to the history, atomically.
    /// Throws <see cref="KeyNotFoundException"/> when the version does not exist.
    /// </summary>
    Task<AliasChange> MoveAliasAsync(string name, string alias, int version, string by, string? reason, DateTimeOffset at, CancellationToken ct);

    /// <summary>
    /// As <see cref="MoveAliasAsync"/>, and sets the alias's share of requests (<paramref name="route"/>) in the same
    /// transaction: serving reads the version and the share together. A plain move keeps the alias's route.
    /// </summary>
    Task<AliasChange> RouteAliasAsync(string name, string alias, int version, AliasRoute route, string by, string? reason, DateTimeOffset at, CancellationToken ct);

    /// <summary>The routes of the model's aliases that have one (a canary's share), by alias.</summary>
    Task<IReadOnlyDictionary<string, AliasRoute>> GetRoutesAsync(string name, CancellationToken ct);

    /// <summary>
    /// Removes <paramref name="alias"/> and appends the withdrawal to the history (<see cref="AliasChange.Removed"/>),
    /// atomically. Throws <see cref="KeyNotFoundException"/> when the model has no such alias.
    /// </summary>
    Task<AliasChange> RemoveAliasAsync(string name, string alias, string by, string? reason, DateTimeOffset at, CancellationToken ct);

    /// <summary>Oldest first.</summary>
    Task<IReadOnlyList<AliasChange>> GetAliasHistoryAsync(string name, CancellationToken ct);

    /// <summary>
    /// Garbage collection: deletes a version's row, the alias history entries that name it, its evaluations and the
    /// feedback labels of requests only it answered (no other version's answer in the prediction log), in one transaction,
    /// unless an alias points to it when the transaction takes the model's lock (a promotion racing the collection
    /// wins). False when an alias points to it or there is no such version. Version numbers are never reused.
    /// </summary>
    Task<bool> DeleteVersionAsync(string name, int version, CancellationToken ct);
}
