using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Storage;

namespace MlOpsOrchestrator.Scheduling.Tests.Hangfire;

/// <summary>
/// The real <see cref="TrainExecutor"/>, held at its start until the test opens the gate, so a test can stop a worker
/// while a step is certainly in progress. The wait honours cancellation as any step must.
/// </summary>
public sealed class GatedTrainExecutor(StorageSet storage) : IStepExecutor
{
    private readonly TrainExecutor _inner = new(storage.Artifacts, storage.Registry, storage.ModelEvaluations, TimeProvider.System);
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;

    public StepKind Kind => StepKind.Train;

    /// <summary>Completes when a train step has started and is waiting at the gate.</summary>
    public Task Started => _started.Task;

    public int Calls => Volatile.Read(ref _calls);

    public void Open() => _open.TrySetResult();

    public async Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken ct)
    {
        Interlocked.Increment(ref _calls);
        _started.TrySetResult();
        await _open.Task.WaitAsync(ct);
        return await _inner.ExecuteAsync(context, ct);
    }
}
