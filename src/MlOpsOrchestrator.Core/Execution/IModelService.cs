using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Execution;

/// <summary>
/// The one way a front end (the CLI, the API, the dashboard) reads models and moves their aliases, so the rules that
/// protect what serves are the same everywhere: an alias is a name, a promoted version exists, a rollback goes to the
/// version before the newest move not yet rolled back (<see cref="AliasRollback"/>), a reason is text of at most
/// <see cref="Security.InputText.MaxReasonLength"/> characters, and each move is recorded, with who asked, by the
/// registry in the same transaction. Who asked is passed in by the front end, which has established it (the OS user,
/// the API's or dashboard's caller). A request that cannot be honoured throws <see cref="ModelControlException"/>.
/// </summary>
public interface IModelService
{
    /// <summary>The alias everything serves and rolls back by default.</summary>
    const string Production = "production";

    /// <summary>Every registered model, by name.</summary>
    Task<IReadOnlyList<ModelSummary>> ListAsync(CancellationToken ct);

    /// <summary>The model, or null when no version of it is registered.</summary>
    Task<ModelDetails?> GetAsync(string name, CancellationToken ct);

    /// <summary>Points <paramref name="alias"/> at <paramref name="version"/>.</summary>
    Task<AliasChange> PromoteAsync(string name, int version, string alias, string by, string? reason, CancellationToken ct);

    /// <summary>Moves <paramref name="alias"/> back to the version it pointed at before its newest move not yet rolled back.</summary>
    Task<AliasChange> RollbackAsync(string name, string alias, string by, string? reason, CancellationToken ct);

    /// <summary>
    /// Removes a challenger alias (<c>canary</c>, <c>shadow</c>, any but <see cref="Production"/>, which always serves):
    /// requests stop going to it. Audited in the alias history as every move.
    /// </summary>
    Task<AliasChange> WithdrawAsync(string name, string alias, string by, string? reason, CancellationToken ct);

    /// <summary>The service over the registry a host composes.</summary>
    static IModelService Create(IModelRegistry registry, TimeProvider time, ILogger<IModelService> logger) => new ModelService(registry, time, logger);
}
