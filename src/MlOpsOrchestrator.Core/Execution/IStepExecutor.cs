using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Execution;

/// <summary>
/// Executes one kind of step. Must be idempotent: after a crash a step may run again, so it writes its artifacts under
/// the run and step's own names and checks for work already done (deploy checks the registry).
/// </summary>
public interface IStepExecutor
{
    StepKind Kind { get; }

    /// <summary>Bad data is a normal outcome: return <see cref="StepOutcome.Failed"/> with a message naming the column or row.</summary>
    Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken ct);
}
