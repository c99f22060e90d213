using System.Collections.Concurrent;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;
using MlOpsOrchestrator.Telemetry;

namespace MlOpsOrchestrator.Execution;

/// <summary>
/// Starts runs for the run service (<see cref="IRunService"/>, behind the CLI and the API), the scheduler and retrain
/// steps: applies the pipeline's concurrency policy, launches idempotently, and queues. A skipped fire is recorded as a run that ended <c>cancelled</c> with the reason, so it is
/// visible in <c>mlops runs</c> and on the dashboard.
/// </summary>
public sealed class RunStarter(RunLauncher launcher, IRunRepository runs, IRunExecutionStore execution, IRunDispatcher dispatcher, TimeProvider time)
{
    private static readonly RunStatus[] Active = [RunStatus.Pending, RunStatus.Running, RunStatus.AwaitingApproval];

    /// <summary>
    /// One gate per pipeline for the check and the launch of <c>concurrency: skip</c>: fires that arrive together (the
    /// ticks a fail-over or restart delivers at once) are judged one after another, so the second sees the run the first
    /// stored and is skipped instead of starting next to it.
    /// </summary>
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _skipGates = new(StringComparer.Ordinal);

    /// <summary>How far back <see cref="LastStartedAsync"/> looks, in runs of the trigger (every fire is a run).</summary>
    private const int RecentRuns = 1000;

    /// <summary>
    /// The newest run of <paramref name="pipeline"/> started through <paramref name="trigger"/> less than
    /// <paramref name="within"/> ago that was not a skipped fire, or null: what a retrain's cooldown is measured from.
    /// </summary>
    public async Task<RunRecord?> LastStartedAsync(string pipeline, string trigger, TimeSpan within, CancellationToken ct)
    {
        var since = time.GetUtcNow() - within;
        return (await runs.FindAsync(new RunQuery { Pipeline = pipeline, Trigger = trigger, Limit = RecentRuns }, ct))
            .FirstOrDefault(r => r.CreatedAt >= since && !(r.Status == RunStatus.Cancelled && r.StartedAt is null));
    }

    public async Task<StartResult> StartAsync(RunRequest request, CancellationToken ct)
    {
        var result = request.Definition.Spec.Concurrency == ConcurrencyPolicy.Skip && request.IdempotencyKey is not null
            ? await SkipOrStoreGatedAsync(request, ct)
            : await StoreAsync(request, ct);
        if (result.Outcome == StartOutcome.Queued)
        {
            await EnqueueAsync(result.Run, ct); // After the gate: the stored run is what the next fire's check sees.
        }

        return result;
    }

    private async Task<StartResult> SkipOrStoreGatedAsync(RunRequest request, CancellationToken ct)
    {
        var gate = _skipGates.GetOrAdd(request.Definition.Name, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            return await SkipOrLaunchAsync(request, ct);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Under the pipeline's gate: records the fire as skipped when another run is active, else stores the run (queued after the gate).</summary>
    private async Task<StartResult> SkipOrLaunchAsync(RunRequest request, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var active = (await runs.ListByStatusAsync(request.Definition.Name, Active, ct))
            .Select(r => RunLiveness.Effective(r, now))
            .FirstOrDefault(r => Active.Contains(r.Status) && r.IdempotencyKey != request.IdempotencyKey && r.RunId != request.StartedBy);
        if (active is not null)
        {
            var reason = $"fire skipped: 'concurrency: skip' and run {active.RunId} is {StatusNames.Of(active.Status)}";
            var (skipped, created) = await launcher.LaunchAsync(request, ct);
            if (created)
            {
                skipped = skipped with { Status = RunStatus.Cancelled, Error = reason, FinishedAt = now };
                var steps = (await runs.GetStepsAsync(skipped.RunId, ct))
                    .Select(step => step with { Status = StepStatus.Skipped, Error = step.Error ?? "not run: the fire was skipped" })
                    .ToList();
                await execution.CommitAsync(null, steps, skipped, ct); // created just now: nobody owns it
                MlOpsTelemetry.RunEnded(skipped);
            }

            return new StartResult(skipped, created ? StartOutcome.Skipped : StartOutcome.AlreadyLaunched, reason);
        }

        return await StoreAsync(request, ct);
    }

    /// <summary>Stores the run of this fire (idempotent); a run stored before and still pending and unowned is queued again here.</summary>
    private async Task<StartResult> StoreAsync(RunRequest request, CancellationToken ct)
    {
        var (run, isNew) = await launcher.LaunchAsync(request, ct);
        if (!isNew)
        {
            if (run.Status == RunStatus.Pending && run.Owner is null)
            {
                // The first launch may have stored the run and then failed to queue it (the database went away between
                // the two writes): queuing it again is harmless, the executor's claim lets one job execute it.
                await EnqueueAsync(run, ct);
            }

            return new StartResult(run, StartOutcome.AlreadyLaunched, $"run {run.RunId} was already launched for this fire");
        }

        return new StartResult(run, StartOutcome.Queued);
    }

    /// <summary>
    /// The waits between attempts to queue a run that is already stored: they span a database restart or fail-over
    /// (a few seconds), so a run created just before the queue's database went away is not left pending until the
    /// lost-run sweep finds it minutes later. A longer outage still ends in the sweep.
    /// </summary>
    public static IReadOnlyList<TimeSpan> EnqueueRetryDelays { get; } =
        [TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)];

    private async Task EnqueueAsync(RunRecord run, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await dispatcher.EnqueueAsync(run, ct);
                return;
            }
            catch (Exception) when (attempt < EnqueueRetryDelays.Count && !ct.IsCancellationRequested)
            {
                await Task.Delay(EnqueueRetryDelays[attempt], time, ct);
            }
        }
    }
}
