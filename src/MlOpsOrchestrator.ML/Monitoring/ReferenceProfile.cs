using MlOpsOrchestrator.ML.Data.Profiling;

namespace MlOpsOrchestrator.ML.Monitoring;

/// <summary>
/// A drift reference made of earlier rows of the data (<c>reference: previous_window</c> or <c>same_period</c>) in the
/// shape of the training profile, so the same statistics score the window against it: a numeric feature keeps the
/// training profile's bin edges, with the reference rows' fractions in them; a categorical or boolean feature gets the
/// reference rows' own category frequencies. A feature without a value among the reference rows is not scored.
/// </summary>
internal static class ReferenceProfile
{
    /// <summary>The categories a reference lists by name; the rest are its <c>other</c> share, as in a training profile.</summary>
    private const int TopCategories = 20;

    public static IReadOnlyList<ColumnProfile> From(IReadOnlyList<ColumnProfile> monitored, WindowSample reference)
    {
        var columns = new List<ColumnProfile>();
        foreach (var column in monitored)
        {
            if (column.Numeric is { } numeric)
            {
                if (DriftStatistics.BinFractions(numeric, reference.Numbers(column.Name)) is { } fractions)
                {
                    columns.Add(column with { Numeric = numeric with { BinFractions = fractions } });
                }
            }
            else if (column.Categorical is not null)
            {
                var counts = reference.Categories(column.Name);
                var total = counts.Values.Sum(c => (long)c);
                if (total == 0)
                {
                    continue;
                }

                var top = counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(TopCategories)
                    .Select(c => new CategoryFrequency(c.Key, c.Value, c.Value / (double)total))
                    .ToList();
                columns.Add(column with { Categorical = new CategoricalProfile(counts.Count, top, 1 - top.Sum(t => t.Fraction)) });
            }
        }

        return columns;
    }
}
