using MlOpsOrchestrator.Runs;

namespace MlOpsOrchestrator.Stores;

/// <summary>
/// What <see cref="IRunExecutionStore.ClaimAsync"/> found: the run as persisted after the attempt (null when there is no
/// such run), whether the caller now owns it, and its steps in execution order, so the executor reads neither again.
/// </summary>
public sealed record RunClaim(RunRecord? Run, bool Claimed, IReadOnlyList<StepRecord> Steps);
