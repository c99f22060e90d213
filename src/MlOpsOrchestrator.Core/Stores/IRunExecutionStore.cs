using MlOpsOrchestrator.Runs;

namespace MlOpsOrchestrator.Stores;

/// <summary>
/// Every change to an existing run: an executor claims the run, keeps it with heartbeats, and commits its step and run
/// changes in batches; a decision from outside (approve, reject, resume, a skipped fire) commits the same way. Every
/// commit is fenced by the owner the writer expects, so a writer that lost the run never overwrites the new owner's
/// records. The one write not fenced is a request that changes nothing an executor writes: a cancel request
/// (<see cref="RequestCancelAsync"/>), which the executor reads and acts on itself. Implementations: SQLite (embedded)
/// and PostgreSQL.
/// </summary>
public interface IRunExecutionStore
{
    /// <summary>
    /// Starts an execution in one round trip: takes ownership of the run unless it has ended (succeeded, failed,
    /// cancelled) or another owner's heartbeat is at most <paramref name="staleAfter"/> old (a staler owner is taken
    /// over; the caller owning it already claims it again), atomically across processes; marks a claimed run running
    /// (its start time kept if it started before, its error cleared, the heartbeat set to <paramref name="now"/>), and
    /// returns the run as persisted afterwards with its steps. Not claimed: the run has ended, or another live owner
    /// holds it; nothing is written then.
    /// </summary>
    /// <exception cref="ArgumentException">The owner is blank or <paramref name="staleAfter"/> negative.</exception>
    Task<RunClaim> ClaimAsync(string runId, string owner, DateTimeOffset now, TimeSpan staleAfter, CancellationToken ct);

    /// <summary>Refreshes the owner's heartbeat; false when the run is no longer owned by <paramref name="owner"/>.</summary>
    Task<bool> HeartbeatAsync(string runId, string owner, DateTimeOffset now, CancellationToken ct);

    /// <summary>
    /// Replaces the mutable fields of several steps and, when given, of the run (status, times, error, model, owner,
    /// heartbeat), in one transaction, only while the run's owner is <paramref name="expectedOwner"/>: the executor
    /// passes itself; a decision from outside passes the owner it read (null: nobody), so an executor that claimed the
    /// run meanwhile wins. A claim cannot slip in between the check and the writes. A step finishing, the next one
    /// starting and the run concluding become visible together, and a crash keeps all of them or none.
    /// </summary>
    /// <exception cref="RunOwnershipLostException">The run's owner is not <paramref name="expectedOwner"/>; nothing was written.</exception>
    /// <exception cref="KeyNotFoundException">The run or one of the steps does not exist.</exception>
    /// <exception cref="ArgumentException">A step belongs to another run than the others or <paramref name="run"/>.</exception>
    Task CommitAsync(string? expectedOwner, IReadOnlyList<StepRecord> steps, RunRecord? run, CancellationToken ct);

    /// <summary>
    /// Garbage collection: deletes a run that has ended (succeeded, failed or cancelled) with its steps and the
    /// evaluations it recorded, except those of versions still registered, in one transaction. A run that has not ended (pending, running, awaiting approval, interrupted: someone may still
    /// resume it) is never deleted, whatever the caller read before; false then, and for an unknown run.
    /// </summary>
    Task<bool> DeleteEndedRunAsync(string runId, CancellationToken ct);

    /// <summary>
    /// Records a request to cancel the run, whoever owns it: the one write from outside that is not fenced by the owner,
    /// because it changes nothing the executor writes; the executor reads it and ends the run itself. Written only while
    /// the run has not ended (succeeded, failed, cancelled); a first request is kept over later ones. Returns the run as
    /// persisted afterwards (null: no such run), with the request that holds.
    /// </summary>
    Task<RunRecord?> RequestCancelAsync(string runId, CancelRequest request, CancellationToken ct);
}
