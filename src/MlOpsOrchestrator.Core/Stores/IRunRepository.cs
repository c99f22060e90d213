using MlOpsOrchestrator.Runs;

namespace MlOpsOrchestrator.Stores;

/// <summary>
/// Run history as everyone outside an executor sees it: create a run with its steps, read runs and steps back. It
/// writes nothing to an existing run; changes go through <see cref="IRunExecutionStore.CommitAsync"/>, which checks the
/// owner. Implementations: SQLite (embedded) and PostgreSQL.
/// </summary>
public interface IRunRepository
{
    /// <summary>
    /// Creates the run with its steps (all pending) in one transaction. When <see cref="RunRecord.IdempotencyKey"/> is
    /// set and a run with that key exists, nothing is written and the existing run is returned with <c>Created = false</c>.
    /// </summary>
    Task<(RunRecord Run, bool Created)> CreateAsync(RunRecord run, IReadOnlyList<StepRecord> steps, CancellationToken ct);

    Task<RunRecord?> GetAsync(string runId, CancellationToken ct);

    /// <summary>The steps of a run in the order they were created (the pipeline's execution order).</summary>
    Task<IReadOnlyList<StepRecord>> GetStepsAsync(string runId, CancellationToken ct);

    /// <summary>Newest first; all pipelines when <paramref name="pipeline"/> is null.</summary>
    Task<IReadOnlyList<RunRecord>> ListAsync(string? pipeline, int limit, CancellationToken ct);

    /// <summary>
    /// The names of the pipelines that have runs, in ordinal order: how a command tells a pipeline without runs yet
    /// from a misspelt name, and lists the names that would have matched.
    /// </summary>
    Task<IReadOnlyList<string>> ListPipelinesAsync(CancellationToken ct);

    /// <summary>
    /// Ids of runs that start with <paramref name="prefix"/> (case-sensitive, as ids are stored), at most
    /// <paramref name="limit"/>, in ordinal order: people type the start of an id, as they do a git commit.
    /// </summary>
    Task<IReadOnlyList<string>> FindIdsAsync(string prefix, int limit, CancellationToken ct);

    /// <summary>The runs <paramref name="query"/> selects, newest first, filtered by the store (the limit counts matching runs only).</summary>
    Task<IReadOnlyList<RunRecord>> FindAsync(RunQuery query, CancellationToken ct);

    /// <summary>Runs of <paramref name="pipeline"/> in any of <paramref name="statuses"/> (e.g. active ones, for <c>concurrency: skip</c>), newest first.</summary>
    Task<IReadOnlyList<RunRecord>> ListByStatusAsync(string pipeline, IReadOnlyCollection<RunStatus> statuses, CancellationToken ct);
}
