using System.Globalization;

namespace MlOpsOrchestrator.Specs;

/// <summary>
/// One way <c>evaluate</c> cuts its evaluation rows into slices: by every value of <see cref="Column"/>
/// (<c>season</c>), or, with <see cref="Bins"/>, by the intervals the edges make (<c>{ column: temp, bins: [0, 10, 20] }</c>
/// gives <c>temp&lt;0</c>, <c>0&lt;=temp&lt;10</c>, <c>10&lt;=temp&lt;20</c>, <c>temp&gt;=20</c>). A missing value is its own slice.
/// A model that wins overall can still lose a group of rows that matters: slices make that visible and gateable.
/// </summary>
/// <param name="Column">The column of the data the rows are grouped by.</param>
/// <param name="Bins">Strictly increasing edges of a numeric column's intervals; null to group by value.</param>
/// <param name="Mark">Where the slice is written.</param>
public sealed record SliceSpec(string Column, IReadOnlyList<double>? Bins, SourceMark Mark)
{
    /// <summary>The slice value that names the rows whose <see cref="Column"/> is missing.</summary>
    public string MissingLabel => $"{Column} missing";

    /// <summary>The label of the interval a binned <paramref name="value"/> falls in; null without bins.</summary>
    public string? IntervalOf(double value)
    {
        if (Bins is not { Count: > 0 } bins)
        {
            return null;
        }

        if (value < bins[0])
        {
            return $"{Column}<{Edge(bins[0])}";
        }

        for (var i = 1; i < bins.Count; i++)
        {
            if (value < bins[i])
            {
                return $"{Edge(bins[i - 1])}<={Column}<{Edge(bins[i])}";
            }
        }

        return $"{Column}>={Edge(bins[^1])}";
    }

    private static string Edge(double edge) => edge.ToString("G", CultureInfo.InvariantCulture);
}
