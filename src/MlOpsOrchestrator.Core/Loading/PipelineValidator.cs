using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Text;

namespace MlOpsOrchestrator.Loading;

/// <summary>
/// The rules that relate parts of a pipeline to each other and to the outside world: step references, the DAG,
/// cron, trainers and their options, gate metrics, trigger subsets, and columns of the data.
/// </summary>
internal sealed class PipelineValidator(ReadContext context, ITrainerCatalog trainers, ICronEvaluator cron, string pipelineFile)
{
    public void Validate(PipelineSpec pipeline, DateTimeOffset now)
    {
        var stepIds = UniqueIds(pipeline.Steps.Select(s => (s.Id, $"{s.YamlPath}.id")), "step");
        UniqueIds(pipeline.Triggers.Select(t => (t.Id, $"{t.YamlPath}.id")), "trigger");
        CheckNeeds(pipeline, stepIds);
        CheckTriggers(pipeline, stepIds, now);
        new DataRules(context, pipelineFile).Check(pipeline);
        foreach (var step in pipeline.Steps)
        {
            switch (step)
            {
                case TrainStep train:
                    CheckTrain(train);
                    break;
                case EvaluateStep evaluate:
                    CheckEvaluate(pipeline, evaluate);
                    break;
                case MonitorStep monitor:
                    CheckMonitor(pipeline, monitor);
                    break;
                case RetrainStep retrain:
                    CheckRetrain(pipeline, retrain);
                    break;
                case DeployStep { PromoteWhen: { } rule } deploy:
                    CheckPromoteWhen(pipeline, deploy, rule);
                    break;
            }
        }
    }

    private void Error(string path, string message) => context.Errors.Add(context.Marks.Of(path), path, message);

    private HashSet<string> UniqueIds(IEnumerable<(string Id, string Path)> ids, string what)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, path) in ids)
        {
            if (id.Length > 0 && !seen.Add(id))
            {
                Error(path, $"duplicate {what} id '{id}'; {what} ids must be unique in a pipeline");
            }
        }

        return seen;
    }

    private void CheckNeeds(PipelineSpec pipeline, HashSet<string> stepIds)
    {
        foreach (var step in pipeline.Steps)
        {
            for (var i = 0; i < step.Needs.Count; i++)
            {
                var need = step.Needs[i];
                var path = $"{step.YamlPath}.needs[{i}]";
                if (need == step.Id)
                {
                    Error(path, $"step '{step.Id}' needs itself; remove it from 'needs'");
                }
                else if (!stepIds.Contains(need))
                {
                    Error(path, $"unknown step '{need}'{Suggest.Hint(need, stepIds)}");
                }
            }
        }

        var graph = new StepGraph(pipeline.Steps.Select(s => s with { Needs = s.Needs.Where(n => n != s.Id).ToList() }).ToList());
        if (graph.FindCycle() is { } cycle)
        {
            var first = pipeline.Steps.First(s => s.Id == cycle[0]);
            Error($"{first.YamlPath}.needs", $"'needs' forms a cycle: {string.Join(" -> ", cycle)}; steps must form a DAG");
        }
    }

    private void CheckTriggers(PipelineSpec pipeline, HashSet<string> stepIds, DateTimeOffset now)
    {
        var timeZone = TimeZoneInfo.TryFindSystemTimeZoneById(pipeline.Timezone, out var tz) ? tz : TimeZoneInfo.Utc;
        foreach (var trigger in pipeline.Triggers)
        {
            if (trigger.Cron is not null && pipeline.EnvironmentPaths.TryGetValue($"{trigger.YamlPath}.cron", out var variable) && cron.Validate(trigger.Cron) is not null)
            {
                Error($"{trigger.YamlPath}.cron", $"invalid cron from ${{env:{variable}}}: the value is not a valid Quartz cron expression (6 or 7 fields starting with seconds, e.g. \"0 0/5 * * * ?\"); it is not shown because it came from the environment");
            }
            else if (trigger.Cron is not null && cron.Validate(trigger.Cron) is { } reason)
            {
                Error($"{trigger.YamlPath}.cron", $"invalid cron '{trigger.Cron}': {CronAdvice(reason)}");
            }
            else if (trigger.Cron is not null && cron.NextFireTimes(trigger.Cron, timeZone, now, 1).Count == 0)
            {
                Error($"{trigger.YamlPath}.cron", trigger.Cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 7
                    ? $"cron '{trigger.Cron}' never fires again; check the year field"
                    : $"cron '{trigger.Cron}' never fires: no date matches its day-of-month, month and year fields together");
            }

            for (var i = 0; i < (trigger.Steps?.Count ?? 0); i++)
            {
                var id = trigger.Steps![i];
                if (!stepIds.Contains(id))
                {
                    Error($"{trigger.YamlPath}.steps[{i}]", $"unknown step '{id}'{Suggest.Hint(id, stepIds)}");
                }
            }

            if (trigger.Mode == RunMode.Incremental && pipeline.Data.Timestamp is null)
            {
                Error($"{trigger.YamlPath}.mode", "'mode: incremental' needs 'data.timestamp' (the column whose newest value is the watermark)");
            }
        }
    }

    private void CheckTrain(TrainStep train)
    {
        var path = train.YamlPath;
        var descriptor = trainers.Find(train.Task, train.Trainer);
        if (train.Trainer.Length == 0)
        {
            return;
        }

        if (descriptor is null)
        {
            var names = trainers.TrainerNames(train.Task);
            Error($"{path}.trainer", $"unknown trainer '{train.Trainer}' for task {TaskName(train.Task)}{Suggest.Hint(train.Trainer, names)}");
            return;
        }

        foreach (var (name, value) in train.Options)
        {
            var optionPath = $"{path}.options.{name}";
            if (!descriptor.Options.TryGetValue(name, out var option))
            {
                // The trainer's own options, a fixed and bounded set: all of them are the useful answer (each name is still capped).
                var valid = descriptor.Options.Keys.Order(StringComparer.Ordinal).ToList();
                var closest = Suggest.Closest(name, valid);
                Error(optionPath, $"unknown option '{name}' for trainer {train.Trainer}{(closest is null ? ";" : $"; did you mean '{closest}'?")} valid options: {Echo.List(valid, max: valid.Count)}");
            }
            else if (TrainerOptionValues.Problem(option, value) is { } problem)
            {
                Error(optionPath, problem);
            }
        }

        if (train.Incremental?.Strategy == IncrementalStrategy.WarmStart && !descriptor.SupportsWarmStart)
        {
            var able = trainers.TrainerNames(train.Task).Where(n => trainers.Find(train.Task, n)!.SupportsWarmStart).ToList();
            Error($"{path}.incremental.strategy", $"trainer {train.Trainer} cannot continue from an existing model, so 'warm_start' is not possible; use 'strategy: window' or a linear trainer ({string.Join(", ", able)})");
        }
    }

    private void CheckEvaluate(PipelineSpec pipeline, EvaluateStep evaluate)
    {
        var candidates = evaluate.Needs.Select(pipeline.Step).OfType<TrainStep>().ToList();
        if (candidates.Count == 0 && evaluate.Needs.Any(n => pipeline.Step(n) is null))
        {
            return;
        }

        if (candidates.Count == 0)
        {
            Error($"{evaluate.YamlPath}.needs", $"evaluate '{evaluate.Id}' must need at least one train step (the candidates it evaluates)");
            return;
        }

        var task = candidates[0].Task;
        if (candidates.FirstOrDefault(c => c.Task != task) is { } other)
        {
            Error($"{evaluate.YamlPath}.needs", $"evaluate '{evaluate.Id}' compares train steps of different tasks ('{candidates[0].Id}' is {TaskName(task)}, '{other.Id}' is {TaskName(other.Task)})");
            return;
        }

        foreach (var gate in evaluate.Gates)
        {
            CheckMetric($"{evaluate.YamlPath}.gates.{gate.Metric}", gate.Metric, task);
        }

        if (evaluate.PrimaryMetric is not null)
        {
            CheckMetric($"{evaluate.YamlPath}.primary_metric", evaluate.PrimaryMetric, task);
        }

        foreach (var gate in evaluate.SliceGates)
        {
            CheckMetric($"{evaluate.YamlPath}.slice_gates.{gate.Metric}", gate.Metric, task);
        }

        new SliceRules(context).Check(pipeline.Data, evaluate);
    }

    private void CheckMonitor(PipelineSpec pipeline, MonitorStep monitor)
    {
        var task = pipeline.Steps.OfType<TrainStep>().FirstOrDefault()?.Task;
        if (monitor.Performance is { } performance && task is not null)
        {
            CheckMetric($"{monitor.YamlPath}.performance.metric", performance.Metric, task.Value);
        }

        if (monitor.Skew is not null && pipeline.Data.Features.Count == 0)
        {
            Error($"{monitor.YamlPath}.skew", "skew compares served feature view features with training, but the pipeline uses none; add data.features or remove 'skew'");
        }
    }

    private void CheckRetrain(PipelineSpec pipeline, RetrainStep retrain)
    {
        var path = $"{retrain.YamlPath}.trigger";
        var trigger = pipeline.Trigger(retrain.Trigger);
        if (retrain.Trigger.Length == 0)
        {
            return;
        }

        if (trigger is null)
        {
            var drift = pipeline.Triggers.Where(t => t.IsDrift).Select(t => t.Id).ToList();
            Error(path, $"unknown trigger '{retrain.Trigger}'{Suggest.Hint(retrain.Trigger, drift)}{(drift.Count == 0 ? "; add a trigger with 'on: drift' and name it here" : "")}");
        }
        else if (trigger.IsCron && trigger.On is null)
        {
            Error(path, $"trigger '{retrain.Trigger}' is a cron trigger; 'retrain' fires a trigger with 'on: drift'");
        }
    }

    /// <summary>The online metric must be one the task's answers and labels can give (a classifier has no online rmse).</summary>
    private void CheckPromoteWhen(PipelineSpec pipeline, DeployStep deploy, PromoteWhen rule)
    {
        if (pipeline.Steps.OfType<TrainStep>().FirstOrDefault()?.Task is { } task && !PromoteWhen.For(task).Contains(rule.Metric))
        {
            Error($"{deploy.YamlPath}.promote_when.metric", $"metric '{rule.Metric}' is not an online metric of {TaskName(task)}; valid: {Echo.List(PromoteWhen.For(task))}");
        }
    }

    private void CheckMetric(string path, string metric, MlTask task)
    {
        if (Metrics.Fits(task, metric))
        {
            return;
        }

        var valid = Metrics.For(task);
        Error(path, Metrics.All.Contains(metric)
            ? $"metric '{metric}' does not apply to {TaskName(task)}; valid: {Echo.List(valid)}"
            : $"unknown metric '{metric}'{Suggest.Hint(metric, valid)}");
    }

    /// <summary>Quartz's reason, cut before advice meant for C# callers, with the format reminder when it lacks one.</summary>
    private static string CronAdvice(string reason)
    {
        var cut = reason.IndexOf(" Or read it as written", StringComparison.Ordinal);
        reason = cut > 0 ? reason[..cut].TrimEnd() : reason;
        return reason.Contains("seconds", StringComparison.Ordinal)
            ? reason
            : $"{reason}; Quartz cron has 6 or 7 fields starting with seconds, e.g. \"0 0/5 * * * ?\"";
    }

    internal static string TaskName(MlTask task) => task.ToString().ToLowerInvariant();
}
