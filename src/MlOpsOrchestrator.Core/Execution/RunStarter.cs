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
        if (request.Definition.Spec.Concurrency == ConcurrencyPolicy.Skip && request.IdempotencyKey is not null)
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
        }

        var (run, isNew) = await launcher.LaunchAsync(request, ct);
        if (!isNew)
        {
            return new StartResult(run, StartOutcome.AlreadyLaunched, $"run {run.RunId} was already launched for this fire");
        }

        await dispatcher.EnqueueAsync(run, ct);
        return new StartResult(run, StartOutcome.Queued);
    }
}
