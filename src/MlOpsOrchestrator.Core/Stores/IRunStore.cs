using MlOpsOrchestrator.Runs;

namespace MlOpsOrchestrator.Stores;

/// <summary>
/// Run history and step states. Every state change is written here before it is acted upon, so a crash at any
/// point leaves a record that resumes cleanly. Implementations: SQLite (embedded) and PostgreSQL.
/// </summary>
public interface IRunStore
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

    /// <summary>Runs of <paramref name="pipeline"/> in any of <paramref name="statuses"/> (e.g. active ones, for <c>concurrency: skip</c>).</summary>
    Task<IReadOnlyList<RunRecord>> ListByStatusAsync(string pipeline, IReadOnlyCollection<RunStatus> statuses, CancellationToken ct);

    /// <summary>Replaces the mutable fields of the run (status, times, error, model, owner, heartbeat).</summary>
    Task UpdateAsync(RunRecord run, CancellationToken ct);

    /// <summary>Replaces the mutable fields of one step.</summary>
    Task UpdateStepAsync(StepRecord step, CancellationToken ct);

    /// <summary>
    /// Takes ownership of a run for execution when nobody holds it or its owner's heartbeat is older than
    /// <paramref name="staleAfter"/>; atomic across processes. False when another live owner holds it.
    /// </summary>
    Task<bool> TryClaimAsync(string runId, string owner, DateTimeOffset now, TimeSpan staleAfter, CancellationToken ct);

    /// <summary>
    /// Starts an execution in one round trip: claims the run as <see cref="TryClaimAsync"/> does unless it has ended
    /// (succeeded, failed, cancelled), marks a claimed run running (its start time kept if it started before, its error
    /// cleared), and returns the run as persisted afterwards with its steps. Not claimed: the run has ended, or another
    /// live owner holds it; nothing is written then.
    /// </summary>
    Task<RunClaim> ClaimAsync(string runId, string owner, DateTimeOffset now, TimeSpan staleAfter, CancellationToken ct);

    /// <summary>
    /// Replaces the mutable fields of several steps and, when given, of the run, in one transaction: a step finishing,
    /// the next one starting and the run concluding become visible together, and a crash keeps all of them or none.
    /// </summary>
    Task UpdateManyAsync(IReadOnlyList<StepRecord> steps, RunRecord? run, CancellationToken ct);

    /// <summary>
    /// As <see cref="UpdateManyAsync"/>, fenced by ownership: written only while <paramref name="owner"/> owns the run,
    /// and a takeover cannot slip in between. An executor that stalled and lost the run to another never overwrites
    /// the new owner's records. The default (for stores without concurrent executors) writes unfenced.
    /// </summary>
    /// <exception cref="RunOwnershipLostException">Another owner (or none) holds the run; nothing was written.</exception>
    Task UpdateManyAsOwnerAsync(string owner, IReadOnlyList<StepRecord> steps, RunRecord? run, CancellationToken ct) =>
        UpdateManyAsync(steps, run, ct);

    /// <summary>Refreshes the owner's heartbeat; false when the run is no longer owned by <paramref name="owner"/>.</summary>
    Task<bool> HeartbeatAsync(string runId, string owner, DateTimeOffset now, CancellationToken ct);
}
