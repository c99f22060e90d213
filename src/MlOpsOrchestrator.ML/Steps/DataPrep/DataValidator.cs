using System.Globalization;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Data.Columns;
using MlOpsOrchestrator.ML.Data.Ingestion;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Steps.DataPrep;

/// <summary>The checks that need a whole table: empty sources, missing values per column, and the <c>checks:</c> of the step.</summary>
internal static class DataValidator
{
    /// <summary>All-missing columns, missing values under <c>missing: fail</c>, and <c>max_missing_fraction</c> (main source only, when <paramref name="checks"/> is given).</summary>
    public static void CheckColumns(Table table, DataChecks? checks, Problems problems)
    {
        var considered = table.RowsConsidered;
        foreach (var column in table.Columns)
        {
            var plan = column.Plan;
            if (plan.Role == ColumnRole.Ignored || considered == 0)
            {
                continue;
            }

            var source = table.Subject;
            if (column.ValueCount == 0 && column.MissingCount > 0)
            {
                problems.Add(Invariant($"{source}column '{plan.Name}' has no values: it is missing in all {column.MissingCount:N0} rows read"));
                continue;
            }

            if (plan.FailsOnMissing && column.MissingCount > 0)
            {
                problems.Add(Missing(table, column));
            }

            if (checks?.MaxMissingFraction is { } max && plan.IsChecked && (double)column.MissingCount / considered > max)
            {
                var fraction = (double)column.MissingCount / considered;
                problems.Add(Invariant(
                    $"{source}column '{plan.Name}': {fraction:P1} of values are missing ({column.MissingCount:N0} of {considered:N0} rows), above max_missing_fraction {max:P1}"));
            }
        }
    }

    public static void CheckRows(Table table, DataChecks? checks, bool incremental, Problems problems)
    {
        var source = table.Subject;
        if (table.RowsRead == 0)
        {
            problems.Add($"{source}{table.NoRows}");
            return;
        }

        if (table.Rows == 0 && !problems.Any && !incremental)
        {
            problems.Add(Invariant($"{source}no rows are left of the {table.RowsRead:N0} read ({table.RowsDropped:N0} dropped under 'missing: drop')"));
            return;
        }

        // An incremental slice is small by nature; min_rows guards full runs against truncated exports.
        if (!incremental && checks?.MinRows is { } min && table.Rows < min && table.Rows > 0)
        {
            problems.Add(Invariant($"{source}{table.Rows:N0} rows, fewer than min_rows {min:N0}"));
        }
    }

    public static void CheckDuplicates(Table table, RowDigest digest, DataChecks checks, Problems problems)
    {
        if (checks.MaxDuplicateFraction is not { } max || table.Rows == 0)
        {
            return;
        }

        var fraction = (double)digest.Duplicates / table.Rows;
        if (fraction > max && digest.FirstDuplicate is var (row, of))
        {
            problems.Add(Invariant(
                $"{fraction:P1} of rows ({digest.Duplicates:N0} of {table.Rows:N0}) repeat an earlier row, above max_duplicate_fraction {max:P1} (the first: {table.Where(row)} repeats {table.Where(of)})"));
        }
    }

    private static string Missing(Table table, ColumnData column)
    {
        var plan = column.Plan;
        var rows = table.Location.Rows(column.FirstMissing, more: column.MissingCount > column.FirstMissing.Count);
        var count = Invariant($"{column.MissingCount:N0} missing {(column.MissingCount == 1 ? "value" : "values")}");
        if (plan.Role == ColumnRole.Label)
        {
            return $"{table.Subject}the label '{plan.Name}' has {count} ({rows}); a label cannot be imputed: fix the data or set 'missing: drop' in data.schema.{plan.Name}";
        }

        var impute = plan.Type switch
        {
            ColumnType.Categorical => "'missing: mean' or 'zero' to keep them as their own (empty) category",
            ColumnType.Boolean => "'missing: mean' (the more frequent value) or 'zero' (false) to fill them",
            ColumnType.Datetime => "'missing: mean' or 'zero' (the Unix epoch) to fill them",
            _ => "'missing: mean' or 'zero' to impute them",
        };
        return $"{table.Subject}column '{plan.Name}': {count} ({rows}); set 'missing: drop' in data.schema.{plan.Name} to drop those rows, or {impute}";
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
