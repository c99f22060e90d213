using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Steps.DataPrep;

/// <summary>
/// Whether an incremental run has something to continue. An incremental run judges and trains on the rows since the
/// last run, on top of the production model; without a usable production model (none yet, its files gone, another task,
/// no warm-start step that can continue its trainer) a few new rows would make a model on their own. data_prep then
/// prepares every row, as a full run does, and every step after it acts as in a full run. Every entry point (scheduler,
/// CLI, API, retrain) runs data_prep, so this holds for all of them. Only pipelines that deploy are concerned: without
/// a deploy step downstream there is no production model to continue.
/// </summary>
internal static class IncrementalBase
{
    /// <summary>Why the incremental run is prepared as full, or null when it can continue production.</summary>
    public static async Task<string?> WhyFullAsync(StepContext context, IModelRegistry registry, IArtifactStore artifacts, CancellationToken ct)
    {
        var spec = context.Definition.Spec;
        var downstream = Downstream(spec, context.Step.Id);
        if (!spec.Steps.OfType<DeployStep>().Any(d => downstream.Contains(d.Id)))
        {
            return null;
        }

        var name = ProductionModel.RegistryName(context);
        var version = await ProductionModel.FindAsync(registry, context, EvaluateExecutor.ProductionAlias, ct);
        if (version is null)
        {
            return $"no {EvaluateExecutor.ProductionAlias} model of {name} yet";
        }

        var label = $"{EvaluateExecutor.ProductionAlias} {name} v{version.Version}";
        if (!artifacts.Exists(version.ArtifactPath)
            || !version.Properties.TryGetValue(ModelProperties.Schema, out var schema) || !artifacts.Exists(schema))
        {
            return $"the model or schema file of {label} is missing from the artifact store";
        }

        var trains = spec.Steps.OfType<TrainStep>().Where(t => downstream.Contains(t.Id)).ToList();
        var task = version.Properties.GetValueOrDefault(ModelProperties.Task);
        if (trains.Count > 0 && trains.All(t => TaskNames.Of(t.Task) != task))
        {
            return $"{label} is a {task ?? "model without a recorded task"}, the train steps train {TaskNames.Of(trains[0].Task)}";
        }

        var warm = trains.Where(t => t.Incremental?.Strategy == IncrementalStrategy.WarmStart).ToList();
        var trainer = version.Properties.GetValueOrDefault(ModelProperties.Trainer);
        if (warm.Count > 0 && warm.Count == trains.Count && warm.All(t => t.Trainer != trainer))
        {
            return $"{label} was trained with {trainer ?? "an unrecorded trainer"}, and warm start continues only the same trainer ({string.Join(", ", warm.Select(t => t.Trainer).Distinct())})";
        }

        return null;
    }

    private static HashSet<string> Downstream(PipelineSpec spec, string id)
    {
        var found = new HashSet<string>(StringComparer.Ordinal) { id };
        var grew = true;
        while (grew)
        {
            grew = false;
            foreach (var step in spec.Steps)
            {
                if (!found.Contains(step.Id) && step.Needs.Any(found.Contains))
                {
                    grew = found.Add(step.Id);
                }
            }
        }

        found.Remove(id);
        return found;
    }
}
