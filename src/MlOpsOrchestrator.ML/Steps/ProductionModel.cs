using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Steps;

/// <summary>Which registered model an <c>evaluate</c> step compares against.</summary>
internal static class ProductionModel
{
    /// <summary>The version under <paramref name="alias"/> of the model this pipeline deploys, or null when there is none yet.</summary>
    public static async Task<ModelVersion?> FindAsync(IModelRegistry registry, StepContext context, string alias, CancellationToken ct)
    {
        var name = RegistryName(context);
        var aliases = await registry.GetAliasesAsync(name, ct);
        return aliases.TryGetValue(alias, out var version) ? await registry.GetAsync(name, version, ct) : null;
    }

    /// <summary>The registry name of the first deploy step downstream of this step, else the pipeline's name.</summary>
    public static string RegistryName(StepContext context)
    {
        var spec = context.Definition.Spec;
        foreach (var deploy in spec.Steps.OfType<DeployStep>())
        {
            if (Ancestors(spec, deploy).Contains(context.Step.Id))
            {
                return deploy.Model;
            }
        }

        return context.Definition.Name;
    }

    private static HashSet<string> Ancestors(PipelineSpec spec, StepSpec step)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>(step.Needs);
        while (queue.TryDequeue(out var id))
        {
            if (seen.Add(id) && spec.Step(id) is { } need)
            {
                foreach (var next in need.Needs)
                {
                    queue.Enqueue(next);
                }
            }
        }

        return seen;
    }
}
