using System.Globalization;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Loading;

/// <summary>
/// Reads a deploy step's <c>promote_when</c>: every key required, <c>better_by</c> a share (<c>2%</c> or
/// <c>0.02</c>, at least 0 and below 1), and only on a step that places a challenger (<c>strategy: canary</c> or
/// <c>shadow</c>), since production cannot be compared with itself.
/// </summary>
internal static class PromoteWhenReader
{
    private static readonly string[] Keys = ["metric", "better_by", "min_labels", "within"];

    public static PromoteWhen? Read(ReadContext context, Fields step, DeployStrategy strategy)
    {
        var fields = context.Open(step.Node("promote_when"), step.PathOf("promote_when"), Keys, "'promote_when'");
        if (fields is null)
        {
            return null;
        }

        if (strategy is not (DeployStrategy.Canary or DeployStrategy.Shadow))
        {
            step.Error("promote_when",
                "promote_when judges a challenger against production; add 'strategy: canary' (with 'traffic') or 'strategy: shadow' so production keeps serving until the challenger wins");
        }

        var metric = fields.Word("metric", PromoteWhen.OnlineMetrics, required: true);
        var betterBy = ReadShare(fields, "better_by");
        var minLabels = fields.Integer("min_labels", min: 1, max: 100_000_000);
        var within = Durations.Read(fields, "within");
        if (!fields.Has("within"))
        {
            fields.Error("within", "missing 'within'; how long the challenger has to win, such as '7d'");
        }

        return metric is null || betterBy is null || within is null
            ? null
            : new PromoteWhen(metric, betterBy.Value, (int)(minLabels ?? PromoteWhen.DefaultMinLabels), within.Value, fields.Mapping.Mark);
    }

    private static double? ReadShare(Fields fields, string key)
    {
        var text = fields.String(key, required: true);
        if (text is null)
        {
            return null;
        }

        var percent = text.EndsWith('%');
        if (double.TryParse(percent ? text[..^1] : text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            var share = percent ? value / 100 : value;
            if (share is >= 0 and < 1)
            {
                return share;
            }
        }

        fields.Error(key, $"invalid {key} '{text}'; use a relative improvement such as '2%' or 0.02 (at least 0, below 100%)");
        return null;
    }
}
