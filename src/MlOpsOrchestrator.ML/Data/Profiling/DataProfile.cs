using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Data.Profiling;

/// <summary>
/// Per-column statistics of a prepared training set (<c>profile.json</c>): what the data looked like when the model
/// learned from it, and the reference drift monitoring compares newer data against.
/// </summary>
public sealed record DataProfile
{
    /// <summary>Rows profiled: the training rows.</summary>
    public required int Rows { get; init; }

    /// <summary>The time range of the profiled rows (UTC), when the data has a timestamp.</summary>
    public DateTime? From { get; init; }
    public DateTime? To { get; init; }

    public required IReadOnlyList<ColumnProfile> Columns { get; init; }

    public ColumnProfile? Column(string name) => Columns.FirstOrDefault(c => c.Name == name);
}

/// <summary>One column's statistics; which of the optional parts is set depends on the type.</summary>
public sealed record ColumnProfile
{
    public required string Name { get; init; }
    public required ColumnType Type { get; init; }
    public required ColumnRole Role { get; init; }

    /// <summary>Values present, and values missing (NaN numbers, empty strings; booleans and datetimes are filled before profiling).</summary>
    public required int Count { get; init; }
    public required int Missing { get; init; }

    /// <summary>For <c>float</c>/<c>int</c> columns and a regression label.</summary>
    public NumericProfile? Numeric { get; init; }

    /// <summary>For <c>categorical</c> and <c>boolean</c> columns and a classification label.</summary>
    public CategoricalProfile? Categorical { get; init; }

    /// <summary>For <c>datetime</c> columns.</summary>
    public DateTime? Earliest { get; init; }
    public DateTime? Latest { get; init; }

    /// <summary>For <c>text</c> columns: the mean length in characters of the non-empty values.</summary>
    public double? MeanLength { get; init; }
}

/// <summary>
/// Summary statistics and a fixed 10-bin histogram for PSI. <see cref="BinEdges"/> are the distinct decile cut
/// points (at most 9, ascending); bin <c>i</c> holds values in (<c>BinEdges[i-1]</c>, <c>BinEdges[i]</c>], the first
/// and last bins are open-ended, so any new value falls in a bin. <see cref="BinFractions"/> has one entry per bin.
/// </summary>
public sealed record NumericProfile(double Min, double Max, double Mean, double Std, IReadOnlyList<double> BinEdges, IReadOnlyList<double> BinFractions)
{
    /// <summary>The bin a value falls in, by the same rule the fractions were counted with.</summary>
    public int BinOf(double value)
    {
        int low = 0, high = BinEdges.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (value <= BinEdges[middle])
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }
}

/// <summary>The most frequent values (at most 20) with their share of the present values, and the share of all others.</summary>
public sealed record CategoricalProfile(int Distinct, IReadOnlyList<CategoryFrequency> Top, double OtherFraction);

public sealed record CategoryFrequency(string Value, int Count, double Fraction);
