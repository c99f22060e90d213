using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Feedback;

/// <summary>One <c>promote_when</c> in force: the model and challenger alias its deploy step places, and the rule.</summary>
public sealed record PromotionRule(string Pipeline, string Model, string Alias, PromoteWhen When)
{
    /// <summary>The rules of the pipelines loaded; a model and alias named by two pipelines is judged once, by the first.</summary>
    public static IReadOnlyList<PromotionRule> Of(IEnumerable<PipelineDefinition> pipelines) =>
    [
        .. pipelines
            .SelectMany(p => p.Spec.Steps.OfType<DeployStep>()
                .Where(d => d.PromoteWhen is not null)
                .Select(d => new PromotionRule(p.Name, d.Model, d.Alias, d.PromoteWhen!)))
            .DistinctBy(r => (r.Model, r.Alias)),
    ];
}
