using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Steps;

/// <summary>
/// Whether the data a step works on is an incremental slice: the run is incremental and its data_prep did not prepare
/// every row for want of a production model to continue (<see cref="PrepResult.PreparedAsFull"/>).
/// </summary>
internal static class PreparedMode
{
    public static bool IsIncremental(StepContext context, StepRecord? prep) =>
        context.Run.Mode == RunMode.Incremental && prep?.Result is not PrepResult { PreparedAsFull: not null };
}
