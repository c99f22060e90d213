using System.Globalization;
using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Monitoring;

/// <summary>
/// <c>retrain</c>: when the nearest monitor step's verdict is <c>drift</c> or <c>performance</c> (or with
/// <c>when: always</c>), starts a new run of this pipeline through its <c>on: drift</c> trigger, with that trigger's
/// mode. The start is idempotent per firing run (<c>pipeline|trigger|retrain-of|run id</c>): a monitor run resumed
/// after a crash, which executes this step again, finds the run it already started instead of starting a second.
/// </summary>
public sealed class RetrainExecutor(IModelRegistry registry, RunStarter starter) : IStepExecutor
{
    public StepKind Kind => StepKind.Retrain;

    public async Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Step is not RetrainStep step)
        {
            return StepOutcome.Failed($"step '{context.Step.Id}' is a {context.Step.Kind} step, not a retrain step");
        }

        if (context.Run.Trigger == step.Trigger)
        {
            // This run is itself the retrain: retraining again from it would loop for as long as the drift lasts.
            // The next scheduled monitor judges the retrained model.
            return new StepOutcome
            {
                Status = StepStatus.Skipped,
                Message = $"this run was started by trigger '{step.Trigger}' (it is the retrain); the next scheduled monitor judges the new model",
            };
        }

        var monitor = context.Nearest(StepKind.Monitor);
        var found = monitor?.Result as MonitorResult;
        var verdict = found is null ? null : StepOutputs.VerdictName(found.Verdict);
        var because = step.When == RetrainWhen.Always ? "when: always" : $"monitor '{monitor?.StepId}' says {verdict}";
        if (step.When != RetrainWhen.Always && found?.Verdict is not (MonitorVerdict.Drift or MonitorVerdict.Performance))
        {
            return Succeeded(monitor is null
                ? "no drift: nothing to retrain (no finished monitor step upstream)"
                : found?.DriftAnswered == true
                    ? $"the drift is already answered by the production model: nothing to retrain ({because})"
                    : $"no drift: nothing to retrain ({because})");
        }

        var pipeline = context.Definition.Name;
        if (context.Definition.Spec.Trigger(step.Trigger) is not { IsDrift: true })
        {
            return StepOutcome.Failed($"retrain step '{step.Id}' fires trigger '{step.Trigger}', which is not an 'on: drift' trigger of {pipeline}");
        }

        if (step.When != RetrainWhen.Always && await SameDataAsync(context, found!, ct) is { } same)
        {
            return Succeeded($"{same}: a retrain would learn from the same rows, so none was started ({because}). "
                + $"The next monitor after newer rows arrive retrains; to retrain now: mlops run {context.Definition.SourceFile} --trigger {step.Trigger} "
                + $"(or POST /api/pipelines/{context.Definition.Name}/runs with trigger '{step.Trigger}')");
        }

        var key = RetrainKey.Of(pipeline, step.Trigger, context.Run.RunId);
        if (await CoolingDownAsync(context, starter, step, key, ct) is { } cooling)
        {
            return Succeeded($"{cooling} ({because})");
        }

        var result = await starter.StartAsync(new RunRequest
        {
            Definition = context.Definition,
            Yaml = context.Run.PipelineYaml,
            Trigger = step.Trigger,
            IdempotencyKey = key,
            StartedBy = context.Run.RunId,
        }, ct);
        var run = result.Run;
        if (result.Outcome == StartOutcome.Skipped || (result.Outcome == StartOutcome.AlreadyLaunched && run.Status == RunStatus.Cancelled))
        {
            // The fire was recorded as a cancelled run saying why (found again when this step runs a second time);
            // retraining did not happen, which must not look like success.
            var reason = result.Outcome == StartOutcome.Skipped ? result.Reason : run.Error;
            return StepOutcome.Failed($"the retrain run was not started ({because}): {reason ?? $"run {run.RunId} was cancelled"}");
        }

        var what = result.Outcome == StartOutcome.Queued ? "started" : "had already started";
        context.Logger.LogInformation("Step {StepId} {What} run {StartedRun} through trigger {Trigger}", step.Id, what, run.RunId, step.Trigger);
        return new StepOutcome
        {
            Status = StepStatus.Succeeded,
            Result = new RetrainResult { StartedRun = run.RunId },
            Message = $"{what} run {run.RunId} through trigger '{step.Trigger}' ({because})",
        };
    }

    /// <summary>
    /// Why retraining now would repeat the production model, or null: the production version was trained from scratch
    /// (not warm-started) by a full run of its pipeline, on data through a time no newer than the newest row the monitor
    /// saw. Without this a lasting drift (or a drift the retrained model cannot absorb) starts a retrain on every
    /// monitor run, each learning the same rows again.
    /// </summary>
    private async Task<string?> SameDataAsync(StepContext context, MonitorResult monitor, CancellationToken ct)
    {
        if (monitor.WindowEnd is not { } seen
            || await registry.GetAsync(MonitoredModel.RegistryName(context), monitor.ModelVersion, ct) is not { } production
            || production.Properties.ContainsKey(ModelProperties.ReferenceVersion)
            || !Parse(production.Properties.GetValueOrDefault(ModelProperties.DataThrough), out var through)
            || seen > through)
        {
            return null;
        }

        return $"{production.Name} v{production.Version} was trained from scratch on data through {Text(through)}, and the newest row monitored is {Text(seen)}";

        static bool Parse(string? text, out DateTimeOffset value) =>
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);

        static string Text(DateTimeOffset time) => time.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Why no retrain starts now, or null: a retrain through the same trigger was started less than <c>cooldown</c> ago
    /// (by this run itself, executing this step again after a crash, it is found again instead). A drift that lasts
    /// retrains again once the cooldown has passed, not on every monitor run while the last retrain is still young.
    /// </summary>
    private static async Task<string?> CoolingDownAsync(StepContext context, RunStarter starter, RetrainStep step, string key, CancellationToken ct)
    {
        if (await starter.LastStartedAsync(context.Definition.Name, step.Trigger, step.Cooldown, ct) is not { } last || last.IdempotencyKey == key)
        {
            return null;
        }

        var next = last.CreatedAt + step.Cooldown;
        return $"run {last.RunId} retrained through trigger '{step.Trigger}' at {Time(last.CreatedAt)}, less than the cooldown of {DurationText(step.Cooldown)} ago; "
            + $"no retrain was started. The first monitor after {Time(next)} retrains if the verdict holds";
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string DurationText(TimeSpan span) => Steps.DataPrep.IncrementalWindow.Text(span);

    private static StepOutcome Succeeded(string message) => new() { Status = StepStatus.Succeeded, Message = message };
}
