namespace MlOpsOrchestrator.ML.Replay;

/// <summary>
/// A metric over prequentially scored rows, computed over all the rows added (not averaged over periods), named as
/// evaluate names it. Regression: <c>mae</c>, <c>rmse</c>, <c>r_squared</c>; binary: <c>accuracy</c>, <c>auc</c>,
/// <c>precision</c>, <c>recall</c>, <c>f1</c>; multiclass: <c>micro_accuracy</c>, <c>macro_accuracy</c>.
/// </summary>
public static class PrequentialMetric
{
    /// <summary>The metrics a replay can compute row by row.</summary>
    public static IReadOnlyList<string> Supported { get; } =
        ["mae", "rmse", "r_squared", "accuracy", "auc", "precision", "recall", "f1", "micro_accuracy", "macro_accuracy"];

    /// <summary>The metric over every row given; null without rows (or, for r_squared and auc, without spread).</summary>
    public static double? Compute(string metric, IReadOnlyList<ScoredRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return null;
        }

        switch (metric)
        {
            case "mae":
                return rows.Average(r => Math.Abs(r.Label - r.Score));
            case "rmse":
                return Math.Sqrt(rows.Average(r => (r.Label - r.Score) * (r.Label - r.Score)));
            case "r_squared":
                var mean = rows.Average(r => r.Label);
                var total = rows.Sum(r => (r.Label - mean) * (r.Label - mean));
                return total == 0 ? null : 1 - (rows.Sum(r => (r.Label - r.Score) * (r.Label - r.Score)) / total);
            case "accuracy" or "micro_accuracy":
                return rows.Count(r => r.Predicted == r.Actual) / (double)rows.Count;
            case "macro_accuracy":
                return rows.GroupBy(r => r.Actual, StringComparer.Ordinal).Average(g => g.Count(r => r.Predicted == r.Actual) / (double)g.Count());
            case "precision":
                var predictedPositive = rows.Count(r => r.Predicted == "1");
                return predictedPositive == 0 ? null : rows.Count(r => r.Predicted == "1" && r.Actual == "1") / (double)predictedPositive;
            case "recall":
                var positives = rows.Count(r => r.Actual == "1");
                return positives == 0 ? null : rows.Count(r => r.Predicted == "1" && r.Actual == "1") / (double)positives;
            case "f1":
                return Compute("precision", rows) is { } p && Compute("recall", rows) is { } r2 && p + r2 > 0 ? 2 * p * r2 / (p + r2) : null;
            case "auc":
                return Auc(rows);
            default:
                throw new ArgumentException($"a replay cannot compute '{metric}'; it computes {string.Join(", ", Supported)}", nameof(metric));
        }
    }

    /// <summary>The probability that a positive row scores above a negative one (ties count half): Mann–Whitney.</summary>
    private static double? Auc(IReadOnlyList<ScoredRow> rows)
    {
        var ordered = rows.OrderBy(r => r.Score).ToList();
        long positives = ordered.Count(r => r.Label > 0.5), negatives = ordered.Count - positives;
        if (positives == 0 || negatives == 0)
        {
            return null;
        }

        double rankSum = 0;
        for (var i = 0; i < ordered.Count;)
        {
            var j = i;
            while (j < ordered.Count && ordered[j].Score == ordered[i].Score)
            {
                j++;
            }

            var rank = (i + 1 + j) / 2.0; // the mean of the ranks i+1 .. j
            rankSum += rank * ordered.Skip(i).Take(j - i).Count(r => r.Label > 0.5);
            i = j;
        }

        return (rankSum - (positives * (positives + 1) / 2.0)) / (positives * (double)negatives);
    }
}
