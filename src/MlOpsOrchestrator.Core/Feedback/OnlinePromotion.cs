using System.Globalization;
using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Feedback;

/// <summary>
/// Compares the challenger's version under its alias with production's version under <c>production</c>, each over
/// its answers since the challenger's alias last moved. Nothing is decided until both have the rule's labelled
/// requests; then a relative improvement of at least <c>better_by</c> in the metric's direction promotes (production
/// moves, then the challenger alias is withdrawn), a result worse than production withdraws, and anything between
/// waits, until <c>within</c> has passed since the alias moved, which withdraws.
/// </summary>
internal sealed class OnlinePromotion(IModelService models, IModelRegistry registry, IOnlineMetrics metrics, TimeProvider time, ILogger<IOnlinePromotion> logger)
    : IOnlinePromotion
{
    public async Task<PromotionVerdict> JudgeAsync(PromotionRule rule, CancellationToken ct)
    {
        var when = rule.When;
        var aliases = await registry.GetAliasesAsync(rule.Model, ct);
        if (!aliases.TryGetValue(rule.Alias, out var challenger))
        {
            return Wait(rule, $"no '{rule.Alias}' alias to judge");
        }

        if (!aliases.TryGetValue(IModelService.Production, out var production))
        {
            return Wait(rule, "no production version to compare with");
        }

        var moved = (await registry.GetAliasHistoryAsync(rule.Model, ct)).LastOrDefault(h => h.Alias == rule.Alias && !h.Removed)?.At
                    ?? DateTimeOffset.MinValue;
        var report = await metrics.ComputeAsync(rule.Model, moved, ct);
        var c = report.Find(rule.Alias, challenger);
        var p = report.Find(IModelService.Production, production);
        var cLabels = c?.Labelled ?? 0;
        var pLabels = p?.Labelled ?? 0;
        var expired = time.GetUtcNow() - moved >= when.Within;
        var since = $"since {moved.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}Z";

        if (cLabels >= when.MinLabels && pLabels >= when.MinLabels
            && c!.Metrics.TryGetValue(when.Metric, out var cValue) && p!.Metrics.TryGetValue(when.Metric, out var pValue))
        {
            var gain = Gain(when.Metric, cValue, pValue);
            var numbers = $"{rule.Alias} v{challenger} {when.Metric} {Number(cValue)} vs production v{production} {Number(pValue)} " +
                          $"({Percent(gain)} better, needs {Percent(when.BetterBy)}) on {cLabels} and {pLabels} labelled requests {since}";
            if (gain >= when.BetterBy && challenger != production)
            {
                await models.PromoteAsync(rule.Model, challenger, IModelService.Production, IOnlinePromotion.By, numbers, ct);
                await models.WithdrawAsync(rule.Model, rule.Alias, IOnlinePromotion.By, $"promoted to production: {numbers}", ct);
                return Done(rule, PromotionOutcome.Promoted, numbers);
            }

            if (gain < 0)
            {
                await models.WithdrawAsync(rule.Model, rule.Alias, IOnlinePromotion.By, $"worse than production: {numbers}", ct);
                return Done(rule, PromotionOutcome.Withdrawn, $"worse than production: {numbers}");
            }

            if (!expired)
            {
                return Wait(rule, $"not better by enough yet: {numbers}");
            }
        }

        var evidence = $"{cLabels} and {pLabels} labelled requests of {when.MinLabels} needed {since}";
        if (expired)
        {
            var why = $"no win within {DurationText.Format(when.Within)}: {evidence}";
            await models.WithdrawAsync(rule.Model, rule.Alias, IOnlinePromotion.By, why, ct);
            return Done(rule, PromotionOutcome.Withdrawn, why);
        }

        return Wait(rule, $"waiting for labels: {evidence}");
    }

    /// <summary>The challenger's relative improvement over production: positive is better, in the metric's direction.</summary>
    internal static double Gain(string metric, double challenger, double production)
    {
        var difference = Metrics.HigherIsBetter(metric) ? challenger - production : production - challenger;
        return production == 0 ? (difference > 0 ? double.PositiveInfinity : difference < 0 ? double.NegativeInfinity : 0) : difference / Math.Abs(production);
    }

    private PromotionVerdict Done(PromotionRule rule, PromotionOutcome outcome, string reason)
    {
        logger.LogInformation("promote_when of pipeline {Pipeline}: model {Model} {Alias} {Outcome}: {Reason}", rule.Pipeline, rule.Model, rule.Alias, outcome, reason);
        return new PromotionVerdict(rule.Model, rule.Alias, outcome, reason);
    }

    private static PromotionVerdict Wait(PromotionRule rule, string reason) => new(rule.Model, rule.Alias, PromotionOutcome.Waiting, reason);

    private static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Percent(double share) =>
        double.IsInfinity(share) ? (share > 0 ? "infinitely" : "-infinitely") : (share * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";
}
