namespace MlOpsOrchestrator.Sources;

/// <summary>
/// An opened source: its column names and fresh cursors over its data records, so it can be read more than once
/// (type inference, then typed reading) without holding it in memory. Disposing it removes what opening it left
/// behind (a spool file).
/// </summary>
public interface IRecordSource : IDisposable
{
    /// <summary>How messages name the source: the file name, or <c>the postgres query</c>.</summary>
    string DisplayName { get; }

    /// <summary>The column names, unique, in field order.</summary>
    IReadOnlyList<string> Columns { get; }

    /// <summary>True when records have file lines worth naming in messages (<c>row 3 (line 4)</c>), false for a query result.</summary>
    bool HasLines { get; }

    /// <summary>
    /// True when the source itself left out the rows at or before <see cref="SourceRequest.Watermark"/>, so an
    /// incremental run that reads no rows has nothing new, rather than an empty source.
    /// </summary>
    bool FiltersByWatermark { get; }

    /// <summary>The message for a source without data rows, e.g. <c>rows.csv has no data rows</c>.</summary>
    string NoRows { get; }

    /// <summary>A cursor positioned before the first data record.</summary>
    IRecordCursor OpenRecords();
}
