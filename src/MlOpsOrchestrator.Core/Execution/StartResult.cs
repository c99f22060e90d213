using MlOpsOrchestrator.Runs;

namespace MlOpsOrchestrator.Execution;

/// <summary>What starting a run did: created and queued it, found it already launched (same idempotency key), or skipped the fire.</summary>
public sealed record StartResult(RunRecord Run, StartOutcome Outcome, string? Reason = null);
