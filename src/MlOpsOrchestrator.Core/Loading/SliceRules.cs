using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Loading;

/// <summary>
/// What <c>evaluate</c>'s slices must agree with in the rest of the pipeline: a slice column exists in the data, is not
/// the label (every row of a label slice has the same label, so the metric says nothing) nor the timestamp, is sliced
/// once, takes <c>bins</c> only when it is numeric; <c>slice_gates</c> need slices to judge.
/// </summary>
internal sealed class SliceRules(ReadContext context)
{
    public void Check(DataSpec data, EvaluateStep evaluate)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < evaluate.Slices.Count; i++)
        {
            var slice = evaluate.Slices[i];
            var path = $"{evaluate.YamlPath}.slices[{i}]";
            var column = data.Column(slice.Column);
            if (slice.Column == data.Label)
            {
                Error(path, $"'{slice.Column}' is the label; slice by a column the model reads (the label is what the metric compares)");
            }
            else if (slice.Column == data.Timestamp)
            {
                Error(path, $"'{slice.Column}' is the timestamp column; every row has its own time, slice by another column");
            }
            else if (data.KnownColumns.Count > 0 && !data.KnownColumns.Contains(slice.Column))
            {
                Error(path, $"slice column '{slice.Column}' does not exist in the data{Suggest.Hint(slice.Column, data.KnownColumns)}");
            }
            else if (column?.Type == ColumnType.Ignore)
            {
                Error(path, $"column '{slice.Column}' is declared 'type: ignore' in the schema; it is not in the prepared rows, so it cannot slice them");
            }
            else if (slice.Bins is not null && column is { Type: ColumnType.Categorical or ColumnType.Text or ColumnType.Boolean or ColumnType.Datetime })
            {
                Error(path, $"'bins' needs a numeric column, but '{slice.Column}' is declared {column.Type.ToString()!.ToLowerInvariant()}; remove 'bins' to slice by every value");
            }

            if (!seen.Add(slice.Column))
            {
                Error(path, $"column '{slice.Column}' is sliced twice; keep one entry for it");
            }
        }

        if (evaluate.SliceGates.Count > 0 && evaluate.Slices.Count == 0)
        {
            Error($"{evaluate.YamlPath}.slice_gates", "'slice_gates' needs 'slices' to judge; add e.g. 'slices: [season]'");
        }
    }

    private void Error(string path, string message) => context.Errors.Add(context.Marks.Of(path), path, message);
}
