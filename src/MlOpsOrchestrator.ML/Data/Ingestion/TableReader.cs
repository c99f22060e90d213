using System.Globalization;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Data.Columns;
using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Data.Ingestion;

/// <summary>
/// Reads a source's records into typed columns in one streaming pass, collecting every bad value with its row. A row is
/// stored only when all its values parse and no value it needs is missing; <c>missing: drop</c> leaves it out.
/// In incremental mode rows at or before the watermark are skipped before anything else is parsed.
/// </summary>
internal sealed class TableReader(Problems problems, Action<string> progress)
{
    private const int ProgressEvery = 100_000;

    /// <summary>After this many records the rows still to come are estimated from the part of the source read, to size the columns once.</summary>
    private const int EstimateAfter = 4096;

    /// <summary>
    /// Reads <paramref name="file"/> into <paramref name="columns"/>; <paramref name="sourceIndex"/> gives each
    /// column's field index in the source. With <paramref name="afterTicks"/>, only rows whose
    /// <paramref name="timestamp"/> is later are read.
    /// </summary>
    public Table Read(
        IRecordSource file, IReadOnlyList<ColumnData> columns, IReadOnlyList<int> sourceIndex, bool isTest,
        DateColumn? timestamp, long? afterTicks, CancellationToken ct)
    {
        var table = new Table(file, columns, isTest);
        using var cursor = file.OpenRecords();
        // One interface call per record (Read); the values are read from the record itself, which is sealed.
        var reader = cursor.Record;
        var expected = file.Columns.Count;
        var timestampIndex = timestamp is null ? -1 : sourceIndex[IndexOf(columns, timestamp)];
        // Arrays, not the interfaces: a foreach over an IReadOnlyList allocates an enumerator for every row.
        var (columnArray, indexArray) = (columns.ToArray(), sourceIndex.ToArray());
        var row = 0;
        while (cursor.Read())
        {
            row++;
            table.RowsRead++;
            if (row == EstimateAfter)
            {
                Reserve(table, cursor.FractionRead);
            }

            if (row % ProgressEvery == 0)
            {
                ct.ThrowIfCancellationRequested();
                progress(string.Create(CultureInfo.InvariantCulture, $"read {row:N0} rows of {file.DisplayName}"));
            }

            if (!HasShape(reader, table, row, expected))
            {
                continue;
            }

            if (afterTicks is { } after && !IsAfter(reader, table, timestamp!, timestampIndex, row, after))
            {
                continue;
            }

            table.RowsConsidered++;
            ReadRow(reader, table, columnArray, indexArray, row);
        }

        progress(string.Create(CultureInfo.InvariantCulture, $"read {row:N0} rows of {file.DisplayName}, kept {table.Rows:N0}"));
        return table;
    }

    /// <summary>
    /// Reserves the rows the whole source will keep at the rate kept so far, judged by the part of it read (a little
    /// more, so a file that runs slightly longer does not regrow).
    /// </summary>
    private static void Reserve(Table table, double fractionRead)
    {
        if (fractionRead <= 0 || fractionRead >= 1)
        {
            return;
        }

        var expected = table.Rows / fractionRead * 1.02;
        table.Reserve((int)Math.Min(expected + 1024, Array.MaxLength / 2));
    }

    private static int IndexOf(IReadOnlyList<ColumnData> columns, ColumnData column)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (ReferenceEquals(columns[i], column))
            {
                return i;
            }
        }

        throw new ArgumentException($"column '{column.Name}' is not one of the columns read", nameof(column));
    }

    private bool HasShape(SourceRecord reader, Table table, int row, int expected)
    {
        if (reader.NotText)
        {
            ReportNotText(table, row, reader.Line, reader.Error!);
            return false;
        }

        if (reader.Error is { } error)
        {
            problems.Add($"{table.Location.Row(row, reader.Line)}: {error}");
            return false;
        }

        if (reader.FieldCount == expected)
        {
            return true;
        }

        ReportShape(table, row, reader.Line, reader.FieldCount, expected);
        return false;
    }

    // Problems are reported from methods of their own: a lambda capturing a row's locals in the reading methods
    // would allocate its closure for every row, not only for bad ones.
    private void ReportShape(Table table, int row, int line, int fields, int expected) =>
        problems.Add(
            $"shape:{table.IsTest}",
            () => $"{table.Location.Row(row, line)}: {fields} fields, but the header has {expected}",
            n => $"… and {n} more rows with the wrong number of fields");

    private void ReportNotText(Table table, int row, int line, string error) =>
        problems.Add(
            $"not-text:{table.IsTest}",
            () => $"{table.Location.Row(row, line)}, {error}",
            n => $"… and {n} more rows with bytes that are not UTF-8");

    private bool IsAfter(SourceRecord reader, Table table, DateColumn timestamp, int index, int row, long after)
    {
        var error = timestamp.Stage(reader[index]);
        if (error is null && !timestamp.StagedMissing)
        {
            if (timestamp.StagedTicks > after)
            {
                return true;
            }

            table.RowsSkipped++;
            return false;
        }

        if (timestamp.StagedMissing && timestamp.Plan.Missing == MissingPolicy.Drop)
        {
            table.RowsDropped++;
            return false;
        }

        ReportTimestamp(table, timestamp, row, reader.Line, error ?? "the timestamp is missing, so the row cannot be placed before or after the watermark");
        return false;
    }

    private void ReportTimestamp(Table table, DateColumn timestamp, int row, int line, string why) =>
        problems.Add(
            $"timestamp:{table.IsTest}",
            () => $"{table.Location.Row(row, line)}, column '{timestamp.Name}': {why}",
            n => $"… and {n} more rows with a bad timestamp in '{timestamp.Name}'");

    private void ReadRow(SourceRecord reader, Table table, ColumnData[] columns, int[] sourceIndex, int row)
    {
        bool bad = false, drop = false;
        for (var i = 0; i < columns.Length; i++)
        {
            var column = columns[i];
            var error = column.Stage(reader[sourceIndex[i]]);
            if (error is not null)
            {
                bad = true;
                ReportValue(table, column, row, reader.Line, error);
                continue;
            }

            column.Tally(row, reader.Line);
            if (column.StagedMissing)
            {
                drop |= column.Plan.Missing == MissingPolicy.Drop;
                bad |= column.Plan.FailsOnMissing;
            }
        }

        if (drop)
        {
            table.RowsDropped++;
            return;
        }

        if (bad)
        {
            return;
        }

        foreach (var column in columns)
        {
            column.Commit();
        }

        table.RowNumbers.Add(row);
        table.Lines.Add(reader.Line);
    }

    private void ReportValue(Table table, ColumnData column, int row, int line, string error) =>
        problems.Add(
            $"value:{table.IsTest}:{column.Name}",
            () => $"{table.Location.Row(row, line)}, column '{column.Name}': {error}",
            n => $"… and {n} more bad values in column '{column.Name}'");
}
