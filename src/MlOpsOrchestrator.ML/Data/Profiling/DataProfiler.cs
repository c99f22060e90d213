using System.Text;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Data.Columns;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Data.Profiling;

/// <summary>Computes the <see cref="DataProfile"/> of the training rows.</summary>
internal static class DataProfiler
{
    private const int TopCategories = 20;

    public static DataProfile Build(IReadOnlyList<(ColumnPlan Plan, IOutputColumn Column)> columns, int[] rows, DateColumn? timestamp)
    {
        DateTime? from = null, to = null;
        if (timestamp is not null && rows.Length > 0)
        {
            (from, to) = Range(timestamp, rows);
        }

        return new DataProfile
        {
            Rows = rows.Length,
            From = from,
            To = to,
            Columns = columns.Select(c => Profile(c.Plan, c.Column, rows)).ToList(),
        };
    }

    private static ColumnProfile Profile(ColumnPlan plan, IOutputColumn column, int[] rows)
    {
        var profile = new ColumnProfile { Name = plan.Name, Type = plan.Type, Role = plan.Role, Count = rows.Length, Missing = 0 };
        switch (column)
        {
            case NumberColumn numbers:
                var values = Present(numbers, rows);
                return profile with { Count = values.Length, Missing = rows.Length - values.Length, Numeric = Numeric(values) };
            case DateColumn dates:
                var (earliest, latest) = rows.Length > 0 ? Range(dates, rows) : (null, null);
                return profile with { Earliest = earliest, Latest = latest };
            case TextColumn texts:
                var (present, characters) = (0, 0L);
                foreach (var row in rows)
                {
                    var length = texts[row].Length;
                    present += length > 0 ? 1 : 0;
                    characters += length;
                }

                return profile with
                {
                    Count = present,
                    Missing = rows.Length - present,
                    MeanLength = present == 0 ? null : (double)characters / present,
                };
            default:
                var (categorical, missing) = Coded(column) is { } coded ? Categorical(coded, rows) : Categorical(column, rows);
                return profile with { Count = rows.Length - missing, Missing = missing, Categorical = categorical };
        }
    }

    private static (DateTime?, DateTime?) Range(DateColumn dates, int[] rows)
    {
        long min = long.MaxValue, max = long.MinValue;
        foreach (var row in rows)
        {
            min = Math.Min(min, dates.Ticks(row));
            max = Math.Max(max, dates.Ticks(row));
        }

        return (new DateTime(min, DateTimeKind.Utc), new DateTime(max, DateTimeKind.Utc));
    }

    /// <summary>The present (not NaN) values of <paramref name="rows"/>, sorted.</summary>
    private static float[] Present(NumberColumn numbers, int[] rows)
    {
        var values = new float[rows.Length];
        var count = 0;
        foreach (var row in rows)
        {
            var value = numbers[row];
            if (!float.IsNaN(value))
            {
                values[count++] = value;
            }
        }

        // Sorted as floats (half the memory of doubles, the same order: widening is exact and monotonic).
        Array.Resize(ref values, count);
        Array.Sort(values);
        return values;
    }

    private static NumericProfile? Numeric(float[] sorted)
    {
        if (sorted.Length == 0)
        {
            return null;
        }

        // The statistics in double, as the values' exact widenings.
        var values = Array.ConvertAll(sorted, v => (double)v);
        double mean = 0, squares = 0;
        for (var i = 0; i < values.Length; i++)
        {
            // Welford: stable for large and shifted values.
            var delta = values[i] - mean;
            mean += delta / (i + 1);
            squares += delta * (values[i] - mean);
        }

        var edges = new List<double>();
        for (var k = 1; k <= 9; k++)
        {
            var edge = Quantile(values, k / 10.0);
            if (edges.Count == 0 || edge > edges[^1])
            {
                edges.Add(edge);
            }
        }

        var fractions = new double[edges.Count + 1];
        var below = 0;
        for (var i = 0; i < edges.Count; i++)
        {
            var upTo = UpperBound(values, edges[i]);
            fractions[i] = (upTo - below) / (double)values.Length;
            below = upTo;
        }

        fractions[^1] = (values.Length - below) / (double)values.Length;
        return new NumericProfile(values[0], values[^1], mean, Math.Sqrt(squares / values.Length), edges, fractions);
    }

    /// <summary>Linear interpolation between closest ranks (the usual "type 7" quantile).</summary>
    private static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((position - low) * (sorted[high] - sorted[low]));
    }

    /// <summary>The number of values ≤ <paramref name="value"/>.</summary>
    private static int UpperBound(double[] sorted, double value)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (sorted[middle] <= value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    /// <summary>A column whose values are a few codes with names, counted by code instead of by text.</summary>
    private sealed record CodedColumn(int Codes, Func<int, int> Code, Func<int, string> Name);

    private static CodedColumn? Coded(IOutputColumn column) => column switch
    {
        CategoryColumn category => new CodedColumn(category.Dictionary.Values.Count, category.Code, code => category.Dictionary[code]),
        BinaryLabelOutput label => new CodedColumn(2, row => label[row] ? 1 : 0, code => code == 1 ? "true" : "false"),
        BooleanColumn booleans => new CodedColumn(2, booleans.Code, code => code == 1 ? "true" : "false"),
        _ => null,
    };

    /// <summary>As <see cref="Categorical(IOutputColumn, int[])"/> gives for the same column, by code (a negative code is missing).</summary>
    private static (CategoricalProfile, int Missing) Categorical(CodedColumn column, int[] rows)
    {
        var counts = new int[column.Codes];
        var firstSeen = new int[column.Codes];
        var missing = 0;
        for (var i = 0; i < rows.Length; i++)
        {
            var code = column.Code(rows[i]);
            if (code < 0)
            {
                missing++;
            }
            else if (counts[code]++ == 0)
            {
                firstSeen[code] = i;
            }
        }

        var present = rows.Length - missing;
        var seen = Enumerable.Range(0, column.Codes).Where(code => counts[code] > 0).ToList();
        var top = seen
            .OrderByDescending(code => counts[code]).ThenBy(code => firstSeen[code])
            .Take(TopCategories)
            .Select(code => new CategoryFrequency(column.Name(code), counts[code], present == 0 ? 0 : counts[code] / (double)present))
            .ToList();
        var other = present == 0 ? 0 : 1 - (top.Sum(t => t.Count) / (double)present);
        return (new CategoricalProfile(seen.Count, top, Math.Max(0, other)), missing);
    }

    private static (CategoricalProfile, int Missing) Categorical(IOutputColumn column, int[] rows)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var order = new List<string>();
        var text = new StringBuilder();
        var missing = 0;
        foreach (var row in rows)
        {
            text.Clear();
            column.AppendCanonical(row, text);
            if (text.Length == 0)
            {
                missing++;
                continue;
            }

            var value = column is CategoryColumn category ? category.Dictionary[category.Code(row)] : text.ToString();
            if (counts.TryGetValue(value, out var count))
            {
                counts[value] = count + 1;
            }
            else
            {
                counts[value] = 1;
                order.Add(value);
            }
        }

        var present = rows.Length - missing;
        var top = order
            .Select((value, index) => (value, index, count: counts[value]))
            .OrderByDescending(v => v.count).ThenBy(v => v.index)
            .Take(TopCategories)
            .Select(v => new CategoryFrequency(v.value, v.count, present == 0 ? 0 : v.count / (double)present))
            .ToList();
        var other = present == 0 ? 0 : 1 - (top.Sum(t => t.Count) / (double)present);
        return (new CategoricalProfile(counts.Count, top, Math.Max(0, other)), missing);
    }
}
