using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Notifications;
using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Security;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;
using MlOpsOrchestrator.Telemetry;

namespace MlOpsOrchestrator.Execution;

/// <summary>
/// Walks a run's DAG: every step not yet finished runs when its needs have succeeded, independent steps in
/// parallel. A step's start is persisted before it executes and its result before anything depending on it
/// executes or the run concludes, so a run can always be resumed after its last finished step. A manual step stops the run as awaiting approval; a failed step (or gate) fails the run and skips what
/// depends on it.
/// </summary>
public sealed class RunExecutor(
    IRunRepository runs,
    IRunExecutionStore execution,
    IWatermarkStore watermarks,
    IEnumerable<IStepExecutor> executors,
    RunDefinitionLoader definitions,
    INotifier notifier,
    TimeProvider time,
    ILogger<RunExecutor> logger)
{
    private readonly Dictionary<StepKind, IStepExecutor> _executors = executors.ToDictionary(e => e.Kind);

    /// <summary>
    /// The event of a step that threw. Its message is also the step's failure, which a front end showing live
    /// progress already prints; such a front end keeps it out of its console, the log file keeps it with the stack trace.
    /// </summary>
    public static readonly EventId StepThrew = new(1001, nameof(StepThrew));

    /// <summary>
    /// A step that failed (a gate included) and a run that failed: Warning, so they stand out in a host's log at its
    /// default level. A front end showing live progress prints them already and keeps them out of its console.
    /// </summary>
    public static readonly EventId StepFailed = new(1002, nameof(StepFailed));

    /// <inheritdoc cref="StepFailed"/>
    public static readonly EventId RunFailed = new(1003, nameof(RunFailed));

    /// <summary>How often the owner proves it is alive.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Executes the run until it finishes or waits for an approval. Returns the run as persisted. When another live
    /// process owns the run, or it has ended, returns it untouched.
    /// </summary>
    public async Task<RunRecord> ExecuteAsync(string runId, IProgress<RunProgress>? progress, CancellationToken ct) =>
        await TryExecuteAsync(runId, progress, ct) ?? throw new KeyNotFoundException($"unknown run '{runId}'");

    /// <summary>As <see cref="ExecuteAsync"/>, but null when there is no such run (a job queued for a run since deleted).</summary>
    /// <remarks>
    /// The store is read once, by the claim; from then on this executor is the only writer of the run's steps, so it
    /// keeps them in memory and persists each change together with the next one: a step finishing with the steps it
    /// lets start, the last one with the run's conclusion. A change is always persisted before its step executes or,
    /// for a step's result, before anything that depends on it executes or the run concludes.
    /// </remarks>
    public Task<RunRecord?> TryExecuteAsync(string runId, IProgress<RunProgress>? progress, CancellationToken ct) =>
        TryExecuteAsync(runId, progress, null, ct);

    /// <summary>
    /// As <see cref="TryExecuteAsync(string, IProgress{RunProgress}?, CancellationToken)"/>; a run cut off by
    /// <paramref name="ct"/> (shutdown) records <paramref name="interruptedNote"/> as its error: what happens to it next.
    /// </summary>
    public async Task<RunRecord?> TryExecuteAsync(string runId, IProgress<RunProgress>? progress, string? interruptedNote, CancellationToken ct)
    {
        // One owner id per execution (not per process), so two executions in one process cannot both claim a run.
        var owner = $"{RunLiveness.LocalOwner}:{Guid.NewGuid().ToString("N")[..8]}";
        var claim = await execution.ClaimAsync(runId, owner, time.GetUtcNow(), RunLiveness.StaleAfter, ct);
        if (claim.Run is not { } run || !claim.Claimed)
        {
            if (claim.Run is { } ended && ended.Status.HasEnded())
            {
                logger.LogInformation("Run {RunId} already ended {Status}; nothing to execute", runId, StatusNames.Of(ended.Status));
            }
            else if (claim.Run is not null)
            {
                logger.LogInformation("Run {RunId} is owned by another live executor; not executing it here", runId);
            }

            return claim.Run;
        }

        // The run's span continues the trace it was queued in (the fire's; see the Hangfire trace filter).
        using var span = MlOpsTelemetry.StartRun(run);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["RunId"] = runId, ["Pipeline"] = run.Pipeline });
        using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var beating = Heartbeat(runId, owner, heartbeat.Token);
        using var watch = new CancelWatch(runs, time);
        watch.Notice(run.CancelRequest);
        var watching = watch.WatchAsync(runId, heartbeat.Token);
        var steps = new RunSteps(claim.Steps, owner);
        try
        {
            if (watch.Requested is { } early)
            {
                return await Finish(run, RunStatus.Cancelled, early.Describe(), null, steps, logger, Alerts.None(notifier), ct);
            }

            var loaded = definitions.Load(run);
            if (loaded.Definition is null)
            {
                var errors = string.Join("; ", loaded.Errors.Select(e => e.ToString()));
                return await Finish(run, RunStatus.Failed, $"the pipeline no longer loads: {errors}", null, steps, logger, Alerts.None(notifier), ct);
            }

            if (loaded.Definition.Spec.Concurrency == ConcurrencyPolicy.Queue && claim.Steps.All(s => s.Status == StepStatus.Pending && s.Attempts == 0)
                && await AheadInQueueAsync(run, ct) is { } ahead)
            {
                return await WaitInQueueAsync(run, ahead, ct);
            }

            // Everything the run records, logs or reports from here on passes the redactor of its own definition.
            var redactor = loaded.Redactor;
            var log = redactor.IsEmpty ? (ILogger)logger : new RedactingLogger(logger, redactor);
            var shown = progress is null || redactor.IsEmpty ? progress : new RedactingProgress(progress, redactor);
            log.LogInformation("Run {RunId} of {Pipeline} ({Trigger}, {Mode}, level {Level}) started", runId, run.Pipeline, run.Trigger, run.Mode, run.Level);
            var alerts = new Alerts(notifier, loaded.Definition.Spec.Notify, redactor);
            var walker = new StepWalker(run, loaded.Definition, steps, time);
            // The run as Walk records it when shutdown cuts it off: with the note of what happens to it next.
            if (await Walk(run with { Error = interruptedNote }, walker, steps, shown, log, redactor, watch, alerts, ct) is { } cancel)
            {
                return await Cancelled(run, steps, cancel, log, redactor, alerts, ct);
            }

            return await Conclude(run, loaded.Definition, steps, log, redactor, alerts, ct);
        }
        finally
        {
            await heartbeat.CancelAsync();
            await beating;
            await watching;
        }
    }

    private static readonly RunStatus[] Unfinished = [RunStatus.Pending, RunStatus.Running, RunStatus.AwaitingApproval];

    /// <summary>
    /// Under <c>concurrency: queue</c>, the oldest run of the pipeline created before <paramref name="run"/> that has not
    /// finished (pending, running with a live owner, or awaiting approval), or null when it is this run's turn. Runs
    /// are taken oldest first, so two executors never both start: the younger always sees the older.
    /// </summary>
    private async Task<RunRecord?> AheadInQueueAsync(RunRecord run, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return (await runs.ListByStatusAsync(run.Pipeline, Unfinished, ct))
            .Where(r => r.RunId != run.RunId && (r.CreatedAt < run.CreatedAt || (r.CreatedAt == run.CreatedAt && string.CompareOrdinal(r.RunId, run.RunId) < 0)))
            .Where(r => Unfinished.Contains(RunLiveness.Effective(r, now).Status))
            .OrderBy(r => r.CreatedAt).ThenBy(r => r.RunId, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    /// <summary>
    /// Gives a fresh run back to the queue, untouched but for the reason it waits: pending, no owner, not started. The
    /// caller executes it again later (the Hangfire job re-enqueues it; <c>mlops run</c> waits and tries again).
    /// </summary>
    private async Task<RunRecord> WaitInQueueAsync(RunRecord run, RunRecord ahead, CancellationToken ct)
    {
        var waiting = run with
        {
            Status = RunStatus.Pending,
            Owner = null,
            HeartbeatAt = time.GetUtcNow(), // when it was last checked: a waiting run is not a lost one
            StartedAt = null,
            Error = $"waiting for run {ahead.RunId} ({StatusNames.Of(ahead.Status)}) to finish: concurrency: queue runs the pipeline's runs one at a time, oldest first",
        };
        await execution.CommitAsync(run.Owner, [], waiting, ct);
        logger.LogDebug("Run {RunId} waits for run {Ahead} of {Pipeline} (concurrency: queue)", run.RunId, ahead.RunId, run.Pipeline);
        return waiting;
    }

    /// <summary>True for a run <see cref="TryExecuteAsync(string, IProgress{RunProgress}?, CancellationToken)"/> gave back to the queue to wait for an older one (<c>concurrency: queue</c>).</summary>
    public static bool IsWaitingInQueue(RunRecord run) => run.Status == RunStatus.Pending && run.Owner is null;

    /// <summary>
    /// Starts every ready step, then, each time one finishes, whatever that lets start, until nothing can. Returns the
    /// cancel request that stopped it (the executing steps were cancelled, what finished is recorded), or null.
    /// </summary>
    private async Task<CancelRequest?> Walk(
        RunRecord run, StepWalker walker, RunSteps steps, IProgress<RunProgress>? progress, ILogger log, SecretRedactor redactor, CancelWatch watch, Alerts alerts, CancellationToken ct)
    {
        var executing = new List<Task<StepRecord>>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, watch.Token);
        try
        {
            while (true)
            {
                if (watch.Requested is { } requested)
                {
                    await stop.CancelAsync();
                    await Settle(executing, walker);
                    return requested;
                }

                var contexts = walker.Next()
                    .Select(step => walker.Start(step, log, progress))
                    .ToList();
                if (contexts.Count == 0 && executing.Count == 0)
                {
                    return null; // What is left unsaved is persisted with the run's conclusion.
                }

                await Save(steps, null, ct);
                executing.AddRange(contexts.Select(c => RunStep(c, progress, log, redactor, stop.Token)));
                var done = await Task.WhenAny(executing);
                executing.Remove(done);
                var finished = await done;
                walker.Finish(finished);
                alerts.Publish(RunNotifications.OfStep(run, finished, time.GetUtcNow()));
                alerts.Publish(RunNotifications.OfSkew(run, finished, time.GetUtcNow()));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await Settle(executing, null);
            await MarkInterrupted(run, steps);
            throw;
        }
        catch (OperationCanceledException) when (watch.Requested is { } requested)
        {
            // A step stopped at its check of the cancelled token.
            await Settle(executing, walker);
            return requested;
        }
        catch
        {
            // The store failed: no step keeps executing for a run nobody records any more.
            await stop.CancelAsync();
            await Settle(executing, null);
            throw;
        }
    }

    /// <summary>
    /// A cancel request stopped the run: the steps it cut off are cancelled with who asked and why, the steps that had
    /// not started are skipped, and the run ends <c>cancelled</c>.
    /// </summary>
    private async Task<RunRecord> Cancelled(RunRecord run, RunSteps steps, CancelRequest cancel, ILogger log, SecretRedactor redactor, Alerts alerts, CancellationToken ct)
    {
        var reason = redactor.Redact(cancel.Describe());
        var now = time.GetUtcNow();
        foreach (var step in steps.All.Where(s => s.Status == StepStatus.Running).ToList())
        {
            steps.Set(step with { Status = StepStatus.Cancelled, FinishedAt = now, Error = reason });
        }

        foreach (var step in steps.All.Where(s => s.Status == StepStatus.AwaitingApproval).ToList())
        {
            steps.Set(step with { Status = StepStatus.Skipped, Error = $"not run: the run was {reason}" });
        }

        log.LogWarning("Run {RunId} of {Pipeline} {Reason}", run.RunId, run.Pipeline, reason);
        return await Finish(run with { CancelRequest = cancel }, RunStatus.Cancelled, reason, null, steps, log, alerts, ct);
    }

    private async Task<StepRecord> RunStep(StepContext context, IProgress<RunProgress>? progress, ILogger log, SecretRedactor redactor, CancellationToken ct)
    {
        var record = context.Steps[context.Step.Id];
        progress?.Report(new RunProgress(context.Run.RunId, context.Step.Id, $"started ({PlanBuilder.KindName(context.Step.Kind)}, attempt {record.Attempts})"));
        using var span = MlOpsTelemetry.StartStep(record);
        using var scope = log.BeginScope(new Dictionary<string, object> { ["StepId"] = context.Step.Id });
        var started = time.GetTimestamp();
        StepOutcome outcome;
        try
        {
            outcome = _executors.TryGetValue(context.Step.Kind, out var executor)
                ? await executor.ExecuteAsync(context, ct)
                : StepOutcome.Failed($"no executor for step kind '{record.Kind}' is installed in this process");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The person sees what failed and what to do; the stack trace goes to the log file only.
            outcome = StepOutcome.Failed(StepFailure.Describe(ex));
            log.LogError(StepThrew, ex, "Step {StepId} of run {RunId} threw: {Error}", record.StepId, record.RunId, outcome.Message);
        }

        // The one place a step's result is recorded: nothing a step, a driver or a server said keeps a secret. The
        // note is the redacted message, whatever the step put there; the other fields are data the step computed.
        var message = redactor.Redact(outcome.Message);
        var note = outcome.Status == StepStatus.Failed ? null : message;
        var result = outcome.Result is { } typed ? typed with { Note = note } : note is null ? null : new NoteResult { Note = note };
        record = record with
        {
            Status = outcome.Status,
            FinishedAt = time.GetUtcNow(),
            Metrics = outcome.Metrics,
            Artifacts = outcome.Artifacts,
            Result = result,
            Error = outcome.Status == StepStatus.Failed ? message : null,
        };
        var elapsed = time.GetElapsedTime(started);
        MlOpsTelemetry.StepEnded(context.Run.Pipeline, record, elapsed);
        var detail = message is null ? "" : $": {message}";

        // The run id is in the scope (and the console's prefix), not repeated in the text; the end is logged once, here.
        if (record.Status == StepStatus.Failed)
        {
            // A failed step (a failed gate included) is what on-call looks for: Warning, with why, at the default level.
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, message);
            log.LogWarning(StepFailed, "Step {StepId} {Status} in {Elapsed}{Detail}", record.StepId, StatusNames.Of(record.Status), elapsed, detail);
        }
        else
        {
            log.LogInformation("Step {StepId} {Status} in {Elapsed}{Detail}", record.StepId, StatusNames.Of(record.Status), elapsed, detail);
        }
        progress?.Report(new RunProgress(record.RunId, record.StepId, $"{StatusNames.Of(record.Status)} in {elapsed.TotalSeconds:0.0}s{detail}") { Ends = true });
        return record;
    }

    private async Task<RunRecord> Conclude(RunRecord run, PipelineDefinition definition, RunSteps records, ILogger log, SecretRedactor redactor, Alerts alerts, CancellationToken ct)
    {
        var steps = records.All;
        var failed = steps.FirstOrDefault(s => s.Status == StepStatus.Failed);
        if (failed is not null)
        {
            var error = $"step '{failed.StepId}' failed: {failed.Error}";
            if (steps.Where(s => s.Status == StepStatus.Failed).All(s => s.Result is EvaluateResult { Rejected: true })
                && await AdvanceWatermarkAsync(run, definition, steps, ct) is { } consumed)
            {
                // A rejected candidate is a judgement on good data: reading the same rows again would give the same verdict.
                error += $"; rows {consumed} consumed but not deployed" + (run.Mode == RunMode.Incremental ? "; the next full run trains on them" : "");
            }

            return await Finish(run, RunStatus.Failed, error, null, records, log, alerts, ct);
        }

        var rejected = steps.FirstOrDefault(s => s.Status == StepStatus.Cancelled);
        if (rejected is not null)
        {
            return await Finish(run, RunStatus.Cancelled, redactor.Redact($"step '{rejected.StepId}' was rejected by {rejected.DecidedBy}: {rejected.Reason}"), null, records, log, alerts, ct);
        }

        if (steps.Any(s => s.Status == StepStatus.AwaitingApproval))
        {
            // A cancel asked for after the watch's last look ends the run here rather than leaving it waiting.
            if ((await runs.GetAsync(run.RunId, ct))?.CancelRequest is { } late)
            {
                return await Cancelled(run, records, late, log, redactor, alerts, ct);
            }

            run = run with { Status = RunStatus.AwaitingApproval, Owner = null, HeartbeatAt = null };
            await Save(records, run, ct);
            foreach (var waiting in steps.Where(s => s.Status == StepStatus.AwaitingApproval))
            {
                alerts.Publish(RunNotifications.OfStep(run, waiting, time.GetUtcNow()));
            }

            return run;
        }

        var model = steps.LastOrDefault(s => s is { Status: StepStatus.Succeeded, Result: DeployResult })?.Result is DeployResult { Deployed: var deployed } ? deployed : null;

        // Before the run says succeeded: a crash in between leaves a run that resumes and sets it again.
        await AdvanceWatermarkAsync(run, definition, steps, ct);
        return await Finish(run, RunStatus.Succeeded, null, model, records, log, alerts, ct);
    }

    /// <summary>
    /// Moves the pipeline's watermark to the newest row the run's succeeded steps consumed; returns the consumed range
    /// (<c>first..last</c>, or just the last) or null when no step consumed dated rows. Data that failed its checks
    /// fails data_prep, which then records no watermark: it is read again.
    /// </summary>
    private async Task<string?> AdvanceWatermarkAsync(RunRecord run, PipelineDefinition definition, IReadOnlyCollection<StepRecord> steps, CancellationToken ct)
    {
        var consumed = steps.Where(s => s.Status == StepStatus.Succeeded).Select(s => s.Result).OfType<PrepResult>().Where(p => p.Watermark is not null).ToList();
        if (consumed.Count == 0)
        {
            return null;
        }

        var newest = consumed.Max(p => p.Watermark!.Value);
        await watermarks.SetAsync(definition.Name, newest, run.RunId, ct);
        var first = consumed.Min(p => p.First);
        return first is { } oldest ? $"{StepOutputs.Instant(oldest)}..{StepOutputs.Instant(newest)}" : StepOutputs.Instant(newest);
    }

    private async Task<RunRecord> Finish(RunRecord run, RunStatus status, string? error, ModelRef? model, RunSteps steps, ILogger log, Alerts alerts, CancellationToken ct)
    {
        run = run with { Status = status, FinishedAt = time.GetUtcNow(), Error = error, Model = model ?? run.Model, Owner = null, HeartbeatAt = null };
        foreach (var step in steps.All.Where(s => s.Status is StepStatus.Pending or StepStatus.Running).ToList())
        {
            // A finished run never leaves a step that looks like it might still run.
            steps.Set(step with { Status = StepStatus.Skipped, Error = $"not run: the run {StatusNames.Of(status)}" });
        }

        await Save(steps, run, ct);
        MlOpsTelemetry.RunEnded(run);
        log.Log(status == RunStatus.Failed ? LogLevel.Warning : LogLevel.Information, status == RunStatus.Failed ? RunFailed : default,
            "Run {RunId} {Status}{Error}", run.RunId, StatusNames.Of(status), error is null ? "" : $": {error}");
        alerts.Publish(RunNotifications.OfEnd(run, time.GetUtcNow()));
        return run;
    }

    /// <summary>Persists the unsaved step changes and, when given, the run, in one transaction.</summary>
    private async Task Save(RunSteps steps, RunRecord? run, CancellationToken ct)
    {
        var unsaved = steps.Unsaved;
        if (unsaved.Count == 0 && run is null)
        {
            return;
        }

        await execution.CommitAsync(steps.Owner, unsaved, run, ct);
        steps.Saved();
    }

    /// <summary>Shutdown: what finished stays finished, what was executing is interrupted, and so is the run.</summary>
    private async Task MarkInterrupted(RunRecord run, RunSteps steps)
    {
        var now = time.GetUtcNow();
        foreach (var step in steps.All.Where(s => s.Status == StepStatus.Running).ToList())
        {
            steps.Set(step with { Status = StepStatus.Interrupted, FinishedAt = now });
        }

        await Save(steps, run with { Status = RunStatus.Interrupted, Owner = null, HeartbeatAt = null }, CancellationToken.None);
    }

    /// <summary>
    /// Waits for the steps still executing to end (they were cancelled). With a <paramref name="walker"/> (a cancelled
    /// run), a step that finished anyway keeps its result; otherwise (shutdown, a failed store) it no longer matters.
    /// </summary>
    private static async Task Settle(List<Task<StepRecord>> executing, StepWalker? walker)
    {
        foreach (var task in executing)
        {
            try
            {
                var record = await task;
                walker?.Finish(record);
            }
            catch (OperationCanceledException)
            {
                // Cancelled with the run.
            }
        }
    }

    /// <summary>The notifier with what one run's notifications go with: the pipeline's webhooks and the run's redactor.</summary>
    private sealed class Alerts(INotifier notifier, IReadOnlyList<NotifySpec>? hooks, SecretRedactor redactor)
    {
        /// <summary>A run whose pipeline no longer loads: only the host's default webhooks apply.</summary>
        public static Alerts None(INotifier notifier) => new(notifier, null, SecretRedactor.None);

        public void Publish(Notification? notification)
        {
            if (notification is not null)
            {
                notifier.Publish(notification, hooks, redactor);
            }
        }
    }

    private async Task Heartbeat(string runId, string owner, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(HeartbeatInterval, time, ct);
                await execution.HeartbeatAsync(runId, owner, time.GetUtcNow(), ct);
            }
        }
        catch (OperationCanceledException)
        {
            // The run finished or was cancelled.
        }
    }
}
