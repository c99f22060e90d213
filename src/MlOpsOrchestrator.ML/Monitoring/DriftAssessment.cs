using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Data.Profiling;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Monitoring;

/// <summary>
/// Scores every monitored feature of a window against the training profile. Monitored: the features the production
/// model reads (its schema's features; the profile's when it has no schema) that the profile describes with a histogram
/// (<c>float</c>, <c>int</c>) or category frequencies (<c>categorical</c>, <c>boolean</c>). Text and datetime features
/// have neither and are not scored; nor is a feature without a value in the window.
/// </summary>
internal static class DriftAssessment
{
    public static IReadOnlyList<ColumnProfile> Monitored(DataProfile profile, DatasetSchema? schema)
    {
        var features = schema?.Features.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        return profile.Columns
            .Where(c => c.Role == ColumnRole.Feature && (features is null || features.Contains(c.Name)))
            .Where(c => c.Numeric is not null || c.Categorical is not null)
            .ToList();
    }

    /// <summary>The scores in profile order.</summary>
    public static IReadOnlyList<FeatureDrift> Measure(IReadOnlyList<ColumnProfile> monitored, WindowSample window)
    {
        var scores = new List<FeatureDrift>();
        foreach (var column in monitored)
        {
            if (column.Numeric is { } numeric)
            {
                var values = window.Numbers(column.Name);
                if (DriftStatistics.BinFractions(numeric, values) is { } actual)
                {
                    scores.Add(new FeatureDrift(
                        column.Name, DriftStatistics.Psi(numeric.BinFractions, actual), DriftStatistics.BinnedKs(numeric.BinFractions, actual), values.Count));
                }
            }
            else if (column.Categorical is { } categorical)
            {
                var counts = window.Categories(column.Name);
                if (DriftStatistics.CategoricalPsi(categorical, counts) is { } psi)
                {
                    scores.Add(new FeatureDrift(column.Name, psi, null, counts.Values.Sum()));
                }
            }
        }

        return scores;
    }

    /// <summary>The feature with the highest score under <paramref name="method"/>; the first in profile order on a tie.</summary>
    public static FeatureDrift? Worst(IReadOnlyList<FeatureDrift> scores, DriftMethod method)
    {
        FeatureDrift? worst = null;
        foreach (var score in scores)
        {
            if (worst is null || score.Score(method) > worst.Score(method))
            {
                worst = score;
            }
        }

        return worst;
    }
}
