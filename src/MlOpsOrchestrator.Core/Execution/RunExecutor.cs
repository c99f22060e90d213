using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Execution;

/// <summary>
/// Walks a run's DAG: every step not yet finished runs when its needs have succeeded, independent steps in
/// parallel. State is persisted before and after each step, so a run can always be resumed after its last finished
/// step. A manual step stops the run as awaiting approval; a failed step (or gate) fails the run and skips what
/// depends on it.
/// </summary>
public sealed class RunExecutor(
    IRunStore runs,
    IModelRegistry registry,
    IWatermarkStore watermarks,
    IArtifactStore artifacts,
    IEnumerable<IStepExecutor> executors,
    RunDefinitions definitions,
    TimeProvider time,
    ILogger<RunExecutor> logger)
{
    private readonly Dictionary<StepKind, IStepExecutor> _executors = executors.ToDictionary(e => e.Kind);

    /// <summary>Monitoring series, prediction log and run starter handed to steps that need them (monitor, retrain).</summary>
    public IEvaluationStore? Evaluations { get; init; }

    public IPredictionLog? Predictions { get; init; }

    public RunStarter? Starter { get; init; }

    /// <summary>How often the owner proves it is alive.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Executes the run until it finishes or waits for an approval. Returns the run as persisted. When another live
    /// process owns the run, returns it untouched.
    /// </summary>
    public async Task<RunRecord> ExecuteAsync(string runId, IProgress<RunProgress>? progress, CancellationToken ct)
    {
        var run = await runs.GetAsync(runId, ct) ?? throw new KeyNotFoundException($"unknown run '{runId}'");
        if (run.Status is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled)
        {
            return run;
        }

        // One owner id per execution (not per process), so two executions in one process cannot both claim a run.
        var owner = $"{RunLiveness.LocalOwner}:{Guid.NewGuid().ToString("N")[..8]}";
        if (!await runs.TryClaimAsync(runId, owner, time.GetUtcNow(), RunLiveness.StaleAfter, ct))
        {
            logger.LogInformation("Run {RunId} is owned by another live executor; not executing it here", runId);
            return run;
        }

        using var scope = logger.BeginScope(new Dictionary<string, object> { ["RunId"] = runId, ["Pipeline"] = run.Pipeline });
        using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var beating = Heartbeat(runId, owner, heartbeat.Token);
        try
        {
            run = (await runs.GetAsync(runId, ct))!;
            var loaded = definitions.Load(run);
            if (loaded.Definition is null)
            {
                var errors = string.Join("; ", loaded.Errors.Select(e => e.ToString()));
                return await Finish(run, RunStatus.Failed, $"the pipeline no longer loads: {errors}", null, ct);
            }

            run = run with { Status = RunStatus.Running, StartedAt = run.StartedAt ?? time.GetUtcNow(), Error = null };
            await runs.UpdateAsync(run, ct);
            logger.LogInformation("Run {RunId} of {Pipeline} ({Trigger}, {Mode}, level {Level}) started", runId, run.Pipeline, run.Trigger, run.Mode, run.Level);
            var walker = new StepWalker(run, loaded.Definition, runs, time);
            while (await walker.NextAsync(ct) is { Count: > 0 } ready)
            {
                var contexts = walker.Contexts(ready, registry, watermarks, artifacts, logger, progress)
                    .Select(c => c with { Evaluations = Evaluations, Predictions = Predictions, Starter = Starter })
                    .ToList();
                await Task.WhenAll(contexts.Select(c => RunStep(c, progress, ct)));
            }

            return await Conclude(run, loaded.Definition, await walker.StepsAsync(ct), ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await MarkInterrupted(runId);
            throw;
        }
        finally
        {
            await heartbeat.CancelAsync();
            await beating;
        }
    }

    private async Task RunStep(StepContext context, IProgress<RunProgress>? progress, CancellationToken ct)
    {
        var record = context.Steps[context.Step.Id];
        record = record with { Status = StepStatus.Running, Attempts = record.Attempts + 1, StartedAt = time.GetUtcNow(), FinishedAt = null, Error = null };
        await runs.UpdateStepAsync(record, ct);
        progress?.Report(new RunProgress(context.Run.RunId, context.Step.Id, $"started ({PlanBuilder.KindName(context.Step.Kind)}, attempt {record.Attempts})"));
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["StepId"] = context.Step.Id });
        var started = time.GetTimestamp();
        StepOutcome outcome;
        try
        {
            outcome = _executors.TryGetValue(context.Step.Kind, out var executor)
                ? await executor.ExecuteAsync(context with { Steps = new Dictionary<string, StepRecord>(context.Steps) { [record.StepId] = record } }, ct)
                : StepOutcome.Failed($"no executor for step kind '{record.Kind}' is installed in this process");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogError(ex, "Step {StepId} of run {RunId} threw", record.StepId, record.RunId);
            outcome = StepOutcome.Failed($"{ex.GetType().Name}: {ex.Message}");
        }

        var outputs = new Dictionary<string, string>(outcome.Outputs);
        if (outcome.Status != StepStatus.Failed && outcome.Message is not null)
        {
            outputs["note"] = outcome.Message;
        }

        record = record with
        {
            Status = outcome.Status,
            FinishedAt = time.GetUtcNow(),
            Metrics = outcome.Metrics,
            Artifacts = outcome.Artifacts,
            Outputs = outputs,
            Error = outcome.Status == StepStatus.Failed ? outcome.Message : null,
        };
        await runs.UpdateStepAsync(record, CancellationToken.None);
        var elapsed = time.GetElapsedTime(started);
        logger.LogInformation("Run {RunId} step {StepId} {Status} in {Elapsed}", record.RunId, record.StepId, StatusNames.Of(record.Status), elapsed);
        var detail = outcome.Status == StepStatus.Failed ? $": {outcome.Message}" : outcome.Message is null ? "" : $": {outcome.Message}";
        progress?.Report(new RunProgress(record.RunId, record.StepId, $"{StatusNames.Of(record.Status)} in {elapsed.TotalSeconds:0.0}s{detail}"));
    }

    private async Task<RunRecord> Conclude(RunRecord run, PipelineDefinition definition, IReadOnlyList<StepRecord> steps, CancellationToken ct)
    {
        var failed = steps.FirstOrDefault(s => s.Status == StepStatus.Failed);
        if (failed is not null)
        {
            return await Finish(run, RunStatus.Failed, $"step '{failed.StepId}' failed: {failed.Error}", null, ct);
        }

        var rejected = steps.FirstOrDefault(s => s.Status == StepStatus.Cancelled);
        if (rejected is not null)
        {
            return await Finish(run, RunStatus.Cancelled, $"step '{rejected.StepId}' was rejected by {rejected.DecidedBy}: {rejected.Reason}", null, ct);
        }

        if (steps.Any(s => s.Status == StepStatus.AwaitingApproval))
        {
            run = run with { Status = RunStatus.AwaitingApproval, Owner = null, HeartbeatAt = null };
            await runs.UpdateAsync(run, ct);
            return run;
        }

        var deployed = steps.LastOrDefault(s => s.Kind == "deploy" && s.Status == StepStatus.Succeeded
            && s.Outputs.ContainsKey(DatasetContract.ModelNameOutput) && s.Outputs.ContainsKey(DatasetContract.ModelVersionOutput));
        var model = deployed is null ? null : new ModelRef(deployed.Outputs[DatasetContract.ModelNameOutput], int.Parse(deployed.Outputs[DatasetContract.ModelVersionOutput], System.Globalization.CultureInfo.InvariantCulture));
        var watermark = steps.Where(s => s.Status == StepStatus.Succeeded && s.Outputs.ContainsKey(DatasetContract.WatermarkOutput))
            .Select(s => DateTimeOffset.Parse(s.Outputs[DatasetContract.WatermarkOutput], System.Globalization.CultureInfo.InvariantCulture))
            .DefaultIfEmpty()
            .Max();
        if (watermark != default)
        {
            await watermarks.SetAsync(definition.Name, watermark, run.RunId, ct);
        }

        return await Finish(run, RunStatus.Succeeded, null, model, ct);
    }

    private async Task<RunRecord> Finish(RunRecord run, RunStatus status, string? error, ModelRef? model, CancellationToken ct)
    {
        run = run with { Status = status, FinishedAt = time.GetUtcNow(), Error = error, Model = model ?? run.Model, Owner = null, HeartbeatAt = null };
        foreach (var step in (await runs.GetStepsAsync(run.RunId, ct)).Where(s => s.Status is StepStatus.Pending or StepStatus.Running))
        {
            // A finished run never leaves a step that looks like it might still run.
            await runs.UpdateStepAsync(step with { Status = StepStatus.Skipped, Error = $"not run: the run {StatusNames.Of(status)}" }, ct);
        }

        await runs.UpdateAsync(run, ct);
        logger.LogInformation("Run {RunId} {Status}{Error}", run.RunId, StatusNames.Of(status), error is null ? "" : $": {error}");
        return run;
    }

    private async Task MarkInterrupted(string runId)
    {
        var run = await runs.GetAsync(runId, CancellationToken.None);
        if (run is null)
        {
            return;
        }

        foreach (var step in (await runs.GetStepsAsync(runId, CancellationToken.None)).Where(s => s.Status == StepStatus.Running))
        {
            await runs.UpdateStepAsync(step with { Status = StepStatus.Interrupted, FinishedAt = time.GetUtcNow() }, CancellationToken.None);
        }

        await runs.UpdateAsync(run with { Status = RunStatus.Interrupted, Owner = null, HeartbeatAt = null }, CancellationToken.None);
    }

    private async Task Heartbeat(string runId, string owner, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(HeartbeatInterval, time, ct);
                await runs.HeartbeatAsync(runId, owner, time.GetUtcNow(), ct);
            }
        }
        catch (OperationCanceledException)
        {
            // The run finished or was cancelled.
        }
    }
}
