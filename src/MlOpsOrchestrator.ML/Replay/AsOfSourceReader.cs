using MlOpsOrchestrator.ML.Data.Columns;
using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Replay;

/// <summary>
/// A source reader that shows the data as it was at an instant: it opens the source with the reader it wraps and
/// leaves out every record whose timestamp column is after <paramref name="asOf"/>, so data_prep, monitor and evaluate
/// of a replayed run all see the same past and never a row from the future. A record whose timestamp cannot be read
/// is passed on, for the step to report as it would without the replay. With <paramref name="snapshots"/>, the records
/// are read from the source once and kept for every later opening (see <see cref="SourceSnapshots"/>).
/// </summary>
public sealed class AsOfSourceReader(ISourceReader inner, string timestampColumn, Func<DateTime> asOf, SourceSnapshots? snapshots = null) : ISourceReader
{
    public string Type => inner.Type;

    public SourceKeys Keys => inner.Keys;

    public string DisplayName(SourceSpec source) => inner.DisplayName(source);

    public async Task<SourceOpening> OpenAsync(SourceRequest request, CancellationToken ct)
    {
        var opening = await inner.OpenAsync(request, ct);
        if (opening.Source is not { } source)
        {
            return opening;
        }

        var column = -1;
        for (var i = 0; i < source.Columns.Count; i++)
        {
            if (source.Columns[i] == timestampColumn)
            {
                column = i;
            }
        }

        if (column < 0)
        {
            return opening;
        }

        return snapshots is null || source.FiltersByWatermark
            ? SourceOpening.Opened(new AsOfSource(source, column, asOf().Ticks))
            : SourceOpening.Opened(new SnapshotSource(source, snapshots.Of(request.Source, source, column), asOf().Ticks));
    }

    private sealed class AsOfSource(IRecordSource inner, int column, long asOfTicks) : IRecordSource
    {
        public string DisplayName => inner.DisplayName;
        public IReadOnlyList<string> Columns => inner.Columns;
        public bool HasLines => inner.HasLines;
        public bool FiltersByWatermark => inner.FiltersByWatermark;
        public string NoRows => inner.NoRows;

        public IRecordCursor OpenRecords() => new AsOfCursor(inner.OpenRecords(), column, asOfTicks);

        public void Dispose() => inner.Dispose();
    }

    /// <summary>The source as opened (its name, columns, what it disposes), its records from the snapshot.</summary>
    private sealed class SnapshotSource(IRecordSource inner, SourceSnapshots.Snapshot snapshot, long asOfTicks) : IRecordSource
    {
        public string DisplayName => inner.DisplayName;
        public IReadOnlyList<string> Columns => inner.Columns;
        public bool HasLines => inner.HasLines;
        public bool FiltersByWatermark => inner.FiltersByWatermark;
        public string NoRows => inner.NoRows;

        public IRecordCursor OpenRecords() => new SourceSnapshots.Cursor(snapshot, asOfTicks);

        public void Dispose() => inner.Dispose();
    }

    private sealed class AsOfCursor(IRecordCursor inner, int column, long asOfTicks) : IRecordCursor
    {
        public SourceRecord Record => inner.Record;
        public double FractionRead => inner.FractionRead;

        public bool Read()
        {
            while (inner.Read())
            {
                var record = inner.Record;
                if (record.Error is not null || record.FieldCount <= column
                    || !ValueText.TryDate(record[column].Trim(), out var at) || at.Ticks <= asOfTicks)
                {
                    return true;
                }
            }

            return false;
        }

        public void Dispose() => inner.Dispose();
    }
}
