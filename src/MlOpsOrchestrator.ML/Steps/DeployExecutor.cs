using System.Globalization;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Steps;

/// <summary>
/// <c>deploy</c>: registers the chosen candidate as the next version of the model, with its lineage, and moves the
/// alias to it, unless the evaluate step held it back (its <c>held_back</c> output): then the version is registered and
/// the alias stays. Safe to run again after a crash: the registry returns the version already registered for this run and
/// step, and the alias is moved only when it does not point there yet. The strategy (<see cref="DeployStrategies"/>)
/// decides only which alias moves, after the same gates and safety: a shadow or canary candidate held back is not
/// shadowed or given traffic either.
/// </summary>
public sealed class DeployExecutor(IArtifactStore artifacts, IModelRegistry registry, TimeProvider time) : IStepExecutor
{
    public StepKind Kind => StepKind.Deploy;

    public async Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Step is not DeployStep step)
        {
            return StepOutcome.Failed($"step '{context.Step.Id}' is a {context.Step.Kind} step, not a deploy step");
        }

        var prep = context.Nearest(StepKind.DataPrep);
        if (prep is not null && StepArtifacts.IsEmpty(prep))
        {
            return StepOutcomes.Skipped($"data_prep step '{prep.StepId}' found no new rows; nothing to deploy");
        }

        var evaluation = context.Nearest(StepKind.Evaluate);
        var evaluations = context.Upstream(StepKind.Evaluate);
        if (evaluation is null && evaluations.Count > 0)
        {
            var unfinished = evaluations[0];
            // Never fall back to an unevaluated model when the pipeline asked for an evaluation.
            return StepOutcome.Failed($"evaluate step '{unfinished.StepId}' has not succeeded ({StatusNames.Of(unfinished.Status)}); nothing to deploy");
        }

        if (Chosen(context, evaluation) is not { } chosen)
        {
            return StepOutcome.Failed(evaluation is null
                ? $"deploy step '{step.Id}' needs an evaluate step or exactly one train step in its needs"
                : $"evaluate step '{evaluation.StepId}' chose no candidate that finished training");
        }

        if (!chosen.Artifacts.TryGetValue(ArtifactNames.Model, out var modelPath) || !artifacts.Exists(modelPath))
        {
            return StepOutcome.Failed($"train step '{chosen.StepId}' has no model artifact in the artifact store");
        }

        var reference = await ReferenceAsync(context, step, chosen, ct);
        var aliases = await registry.GetAliasesAsync(step.Model, ct);
        var previous = aliases.TryGetValue(step.Alias, out var current) ? current : (int?)null;
        int? production = aliases.TryGetValue(EvaluateExecutor.ProductionAlias, out var live) ? live : null;
        var lineage = PreparedMode.IsIncremental(context, prep) ? reference ?? await ProductionAsync(context, step, production, ct) : null;
        var registered = await registry.RegisterAsync(NewVersion(context, step, chosen, evaluation, prep, modelPath, reference, lineage), ct);
        if (evaluation?.Result is EvaluateResult { HeldBack: { } held } && previous != registered.Version)
        {
            return HeldBack(context, step, chosen, prep, registered, previous, held);
        }

        string moved;
        if (previous == registered.Version)
        {
            moved = $"{step.Alias} already at v{registered.Version}";
        }
        else
        {
            var by = $"run {context.Run.RunId}";
            var reason = $"deployed by step '{step.Id}'{(step.Strategy == DeployStrategy.Replace ? "" : $" (strategy {DeployStrategies.Name(step.Strategy)})")}";
            if (DeployStrategies.Route(step) is { } route)
            {
                await registry.RouteAliasAsync(step.Model, step.Alias, registered.Version, route, by, reason, time.GetUtcNow(), ct);
            }
            else
            {
                await registry.MoveAliasAsync(step.Model, step.Alias, registered.Version, by, reason, time.GetUtcNow(), ct);
            }

            moved = previous is null ? $"{step.Alias} → v{registered.Version}" : $"{step.Alias} v{previous} → v{registered.Version}";
        }

        moved += DeployStrategies.Effect(step, production);

        context.Progress($"{step.Id}: registered {step.Model} v{registered.Version} from {chosen.StepId}; {moved}");
        return new StepOutcome
        {
            Status = StepStatus.Succeeded,
            Metrics = registered.Metrics,
            Result = new DeployResult { Deployed = new ModelRef(step.Model, registered.Version) },
            Message = $"{step.Model} v{registered.Version} ({chosen.StepId}); {moved}",
        };
    }

    /// <summary>
    /// The evaluate step judged the candidate not fit to replace production: it is kept as a registered version (to
    /// inspect, or to promote by hand), the alias stays, and the note says which rows were consumed without being deployed.
    /// </summary>
    private static StepOutcome HeldBack(StepContext context, DeployStep step, StepRecord chosen, StepRecord? prep, ModelVersion registered, int? previous, string reason)
    {
        var stays = previous is null ? $"no {step.Alias} model yet" : $"{step.Alias} stays at v{previous}";
        var consumed = Consumed(prep) is { } range && PreparedMode.IsIncremental(context, prep)
            ? $"; rows {range} consumed but not deployed; the next full run trains on them"
            : "";
        context.Progress($"{step.Id}: registered {step.Model} v{registered.Version} from {chosen.StepId}, not deployed: {reason}; {stays}");
        return new StepOutcome
        {
            Status = StepStatus.Succeeded,
            Metrics = registered.Metrics,
            Result = new DeployResult { Deployed = new ModelRef(step.Model, registered.Version), HeldBack = reason },
            Message = $"{step.Model} v{registered.Version} ({chosen.StepId}) registered, not deployed: {reason}; {stays}{consumed}",
        };
    }

    /// <summary>The consumed rows' time range (<c>2025-02-27T00:00:00Z..2025-02-27T23:00:00Z</c>), when data_prep recorded it.</summary>
    internal static string? Consumed(StepRecord? prep) =>
        prep?.Result is PrepResult { First: { } first, Watermark: { } last }
            ? $"{StepOutputs.Instant(first)}..{StepOutputs.Instant(last)}"
            : null;

    private async Task<ModelVersion?> ProductionAsync(StepContext context, DeployStep step, int? version, CancellationToken ct) =>
        version is { } number ? await registry.GetAsync(step.Model, number, ct) : null;

    /// <summary>The evaluate step's <c>chosen</c> train step, else the single train step upstream.</summary>
    private static StepRecord? Chosen(StepContext context, StepRecord? evaluation)
    {
        if (evaluation is not null)
        {
            return evaluation.Result is EvaluateResult { Chosen: var id }
                && context.Steps.TryGetValue(id, out var record) && record.Status == StepStatus.Succeeded
                ? record
                : null;
        }

        var trained = context.Upstream(StepKind.Train).Where(s => s.Status == StepStatus.Succeeded).ToList();
        return trained.Count == 1 ? trained[0] : null;
    }

    /// <summary>
    /// For a warm-started candidate, the version trained from scratch that the production chain it continued goes back
    /// to: its featurization was fitted on that version's data, so that data (not the few new rows) is what drift and
    /// performance are judged against. Null for a model trained from scratch.
    /// </summary>
    private async Task<ModelVersion?> ReferenceAsync(StepContext context, DeployStep step, StepRecord chosen, CancellationToken ct)
    {
        if (chosen.Result is not TrainResult { WarmStartFrom.Version: var number }
            || await registry.GetAsync(step.Model, number, ct) is not { } continued)
        {
            return null;
        }

        return int.TryParse(continued.Properties.GetValueOrDefault(ModelProperties.ReferenceVersion), NumberStyles.None, CultureInfo.InvariantCulture, out var root)
            && await registry.GetAsync(step.Model, root, ct) is { } origin
            ? origin
            : continued;
    }

    /// <summary>
    /// The lineage's holdout (see <see cref="ModelProperties.Holdout"/>): a version trained on a full run's data
    /// records that run's test rows and span; an incremental one carries on those of the version it continues.
    /// </summary>
    private static void Holdout(Dictionary<string, string> properties, StepRecord? prep, ModelVersion? lineage)
    {
        string[] keys = [ModelProperties.Holdout, ModelProperties.HoldoutFrom, ModelProperties.HoldoutThrough];
        if (lineage is not null)
        {
            foreach (var key in keys.Where(lineage.Properties.ContainsKey))
            {
                properties[key] = lineage.Properties[key];
            }
        }
        else if (prep?.Artifacts.GetValueOrDefault(ArtifactNames.Test) is { } test && prep.Result is PrepResult { First: { } first, Watermark: { } last })
        {
            properties[ModelProperties.Holdout] = test;
            properties[ModelProperties.HoldoutFrom] = StepOutputs.Instant(first);
            properties[ModelProperties.HoldoutThrough] = StepOutputs.Instant(last);
        }
    }

    private ModelVersion NewVersion(
        StepContext context, DeployStep step, StepRecord chosen, StepRecord? evaluation, StepRecord? prep, string modelPath, ModelVersion? reference,
        ModelVersion? lineage)
    {
        var trained = chosen.Result as TrainResult;
        var data = prep?.Result as PrepResult;
        var properties = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ModelProperties.Task] = trained is null ? "" : StepOutputs.TaskName(trained.Task),
            [ModelProperties.Trainer] = trained?.Trainer ?? "",
            [ModelProperties.TrainedBy] = chosen.StepId,
        };

        // The train step's schema is the model's view (unused features ignored, classes filled in); fall back to the prepared data's.
        var schema = chosen.Artifacts.GetValueOrDefault(ArtifactNames.Schema) ?? prep?.Artifacts.GetValueOrDefault(ArtifactNames.Schema);
        if (schema is not null)
        {
            properties[ModelProperties.Schema] = schema;
        }

        if (data?.Watermark is { } through)
        {
            properties[ModelProperties.DataThrough] = StepOutputs.Instant(through);
        }

        if (reference is not null)
        {
            // A warm start's slice is a few new rows, not the distribution the reused featurization was fitted on.
            properties[ModelProperties.ReferenceVersion] = reference.Version.ToString(CultureInfo.InvariantCulture);
            if (reference.Properties.GetValueOrDefault(ModelProperties.Profile) is { } referenceProfile)
            {
                properties[ModelProperties.Profile] = referenceProfile;
            }
        }
        else if (prep?.Artifacts.GetValueOrDefault(ArtifactNames.Profile) is { } profile)
        {
            properties[ModelProperties.Profile] = profile;
        }

        Holdout(properties, prep, lineage);

        // The evaluate step measured the chosen candidate on the same test set; its production_* entries are not this model's.
        var metrics = (evaluation?.Metrics ?? chosen.Metrics)
            .Where(m => !m.Key.StartsWith(EvaluateExecutor.ProductionMetricPrefix, StringComparison.Ordinal))
            .ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
        return new ModelVersion
        {
            Name = step.Model,
            Version = 0,
            RunId = context.Run.RunId,
            StepId = step.Id,
            PipelineVersion = context.Run.PipelineVersion,
            DataHash = data?.DataHash ?? "",
            Metrics = metrics,
            ArtifactPath = modelPath,
            Properties = properties,
            CreatedAt = time.GetUtcNow(),
        };
    }
}
