using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Feedback;
using MlOpsOrchestrator.Loading;

namespace MlOpsOrchestrator.Cli.Promotion;

/// <summary>
/// Judges the <c>promote_when</c> rules of the pipelines <c>serve</c> has loaded, for every model (the timer) or one
/// (right after its feedback). One judgement at a time in this process, so the timer and a feedback request never
/// both promote the same challenger; a rule that fails is logged and the others still run.
/// </summary>
internal sealed partial class PromotionRunner(PipelineCatalog catalog, IOnlinePromotion promotion, ILogger<PromotionRunner> logger) : IDisposable
{
    private readonly SemaphoreSlim _one = new(1, 1);

    public async Task<IReadOnlyList<PromotionVerdict>> JudgeAsync(string? model, CancellationToken ct)
    {
        var rules = PromotionRule.Of(catalog.Entries.Select(e => e.Definition).OfType<Planning.PipelineDefinition>())
            .Where(r => model is null || r.Model == model)
            .ToList();
        if (rules.Count == 0)
        {
            return [];
        }

        var verdicts = new List<PromotionVerdict>();
        await _one.WaitAsync(ct);
        try
        {
            foreach (var rule in rules)
            {
                try
                {
                    verdicts.Add(await promotion.JudgeAsync(rule, ct));
                }
                catch (ModelControlException ex)
                {
                    LogRefused(logger, rule.Pipeline, rule.Model, rule.Alias, ex.Message);
                }
            }
        }
        finally
        {
            _one.Release();
        }

        return verdicts;
    }

    public void Dispose() => _one.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "promote_when of pipeline {Pipeline} could not move model {Model} {Alias}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string pipeline, string model, string alias, string reason);
}
