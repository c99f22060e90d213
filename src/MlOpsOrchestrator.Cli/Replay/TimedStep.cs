using System.Diagnostics;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Cli.Replay;

/// <summary>A step executor that adds the real time its inner executor spends to a shared meter: the replay's compute time.</summary>
internal sealed class TimedStep(IStepExecutor inner, ComputeMeter meter) : IStepExecutor
{
    public StepKind Kind => inner.Kind;

    public async Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await inner.ExecuteAsync(context, ct);
        }
        finally
        {
            meter.Add(inner.Kind, Stopwatch.GetElapsedTime(started));
        }
    }
}
