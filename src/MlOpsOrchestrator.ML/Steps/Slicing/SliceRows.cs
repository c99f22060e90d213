using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlOpsOrchestrator.ML.Data;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Steps.Slicing;

/// <summary>
/// Cuts evaluation rows into the slices of <c>evaluate.slices</c>, in memory: one view per value of a column
/// (<c>segment=south</c>), or per interval of a binned numeric column (<c>temp&lt;0</c>, <c>0&lt;=temp&lt;10</c>,
/// <c>temp&gt;=30</c>), plus one for missing values (<c>temp missing</c>: NaN or empty text). Slices of a column come in
/// value order (intervals low to high, then missing); an empty interval has no slice.
/// </summary>
internal static class SliceRows
{
    public static IReadOnlyList<RowSlice> Cut(IDataView rows, IReadOnlyList<SliceSpec> slices)
    {
        if (slices.Count == 0)
        {
            return [];
        }

        var columns = rows.Schema.Where(c => !c.IsHidden).ToList();
        var values = columns.Select(_ => new List<object>()).ToList();
        EvaluationRows.Read(rows, columns, values, keep: null);
        var total = values.Count == 0 ? 0 : values[0].Count;
        var builder = new DataViewSchema.Builder();
        foreach (var column in columns)
        {
            builder.AddColumn(column.Name, column.Type);
        }

        var schema = builder.ToSchema();
        var cut = new List<RowSlice>();
        foreach (var slice in slices)
        {
            var index = columns.FindIndex(c => c.Name == slice.Column);
            if (index < 0)
            {
                throw new StepInputException($"slice column '{slice.Column}' is not in the evaluation rows (columns: {string.Join(", ", columns.Select(c => c.Name))})");
            }

            var groups = new Dictionary<string, (SliceOrder Order, List<int> Rows)>(StringComparer.Ordinal);
            for (var row = 0; row < total; row++)
            {
                var (label, order) = Label(slice, values[index][row]);
                if (!groups.TryGetValue(label, out var group))
                {
                    group = (order, []);
                    groups[label] = group;
                }

                group.Rows.Add(row);
            }

            foreach (var (label, group) in groups.OrderBy(g => g.Value.Order))
            {
                var arrays = columns.Select((c, i) => EvaluationRows.ToArray(c.Type, [.. group.Rows.Select(r => values[i][r])])).ToArray();
                cut.Add(new RowSlice(slice.Column, label, new ArrayDataView(schema, arrays, group.Rows.Count), group.Rows.Count));
            }
        }

        return cut;
    }

    /// <summary>The slice a value falls in, and where that slice sorts among the column's.</summary>
    internal static (string Label, SliceOrder Order) Label(SliceSpec slice, object value)
    {
        double? number = value switch
        {
            float f => f,
            ReadOnlyMemory<char> chars when slice.Bins is not null
                && double.TryParse(chars.Span, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
        var missing = value switch
        {
            float f => float.IsNaN(f),
            ReadOnlyMemory<char> chars => chars.Span.IsWhiteSpace(),
            _ => false,
        };
        if (missing)
        {
            return (slice.MissingLabel, new SliceOrder(2, 0, ""));
        }

        if (slice.Bins is { } bins && number is { } x)
        {
            var bin = bins.Count(edge => x >= edge);
            return (slice.IntervalOf(x)!, new SliceOrder(0, bin, ""));
        }

        var text = value switch
        {
            float f => f.ToString("G", CultureInfo.InvariantCulture),
            bool b => b ? "true" : "false",
            DateTime d => d.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        return ($"{slice.Column}={text}", new SliceOrder(1, number ?? 0, text));
    }
}
