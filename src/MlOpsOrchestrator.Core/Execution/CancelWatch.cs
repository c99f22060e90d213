using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Execution;

/// <summary>
/// How a cancel requested in storage reaches the process executing the run, whichever machine that is: the executor
/// starts one watch per execution, which reads the run every <see cref="Interval"/> and, once a
/// <see cref="RunRecord.CancelRequest"/> is there, cancels <see cref="Token"/>, the token of the run's executing steps.
/// The executor also checks <see cref="Requested"/> before it starts further steps.
/// </summary>
internal sealed class CancelWatch(IRunRepository runs, TimeProvider time) : IDisposable
{
    /// <summary>How often the run is read for a cancel request: the most a step keeps running after one.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _cancel = new();
    private CancelRequest? _request;

    /// <summary>Cancelled once a cancel request was seen.</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>The request seen, or null.</summary>
    public CancelRequest? Requested => Volatile.Read(ref _request);

    /// <summary>Takes a request read otherwise (the claim's copy of the run), as if the watch had seen it.</summary>
    public void Notice(CancelRequest? request)
    {
        if (request is not null && Interlocked.CompareExchange(ref _request, request, null) is null)
        {
            _cancel.Cancel();
        }
    }

    /// <summary>Reads the run until <paramref name="ct"/> ends (the execution finished) or a request is seen.</summary>
    public async Task WatchAsync(string runId, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested && Requested is null)
        {
            try
            {
                await Task.Delay(Interval, time, ct);
                Notice((await runs.GetAsync(runId, ct))?.CancelRequest);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return; // The execution finished.
            }
#pragma warning disable CA1031 // A read that failed is tried again at the next interval; the executor's own writes report a store that is down.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    public void Dispose() => _cancel.Dispose();
}
