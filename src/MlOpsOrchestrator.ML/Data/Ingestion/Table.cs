using MlOpsOrchestrator.ML.Data.Columns;
using MlOpsOrchestrator.Sources;

namespace MlOpsOrchestrator.ML.Data.Ingestion;

/// <summary>The typed rows read from one source, with where each stored row came from (for messages).</summary>
internal sealed class Table(IRecordSource source, IReadOnlyList<ColumnData> columns, bool isTest)
{
    private readonly SourceLocation _location = new(isTest ? "test_source " : null, source.HasLines);

    public string DisplayName => source.DisplayName;

    /// <summary>The message for a source without data rows.</summary>
    public string NoRows => source.NoRows;

    /// <summary>True when the source itself left out the rows at or before the watermark.</summary>
    public bool FiltersByWatermark => source.FiltersByWatermark;

    public IReadOnlyList<ColumnData> Columns => columns;

    public SourceLocation Location => _location;

    /// <summary>True for the rows of <c>data.test_source</c>; their messages say so.</summary>
    public bool IsTest => isTest;

    /// <summary>Starts a message about the table as a whole.</summary>
    public string Subject => isTest ? "test_source: " : "";

    /// <summary>Stored (valid, kept) rows.</summary>
    public int Rows => RowNumbers.Count;

    /// <summary>Data records in the source, whatever became of them.</summary>
    public int RowsRead { get; set; }

    /// <summary>Records at or before the watermark, skipped unread in incremental mode.</summary>
    public int RowsSkipped { get; set; }

    /// <summary>Records after the watermark with the right number of fields: what the missing counts are counted over.</summary>
    public int RowsConsidered { get; set; }

    /// <summary>Rows left out for a missing value under <c>missing: drop</c>.</summary>
    public int RowsDropped { get; set; }

    public ColumnBuffer<int> RowNumbers { get; } = new();

    public ColumnBuffer<int> Lines { get; } = new();

    /// <summary>Makes room for <paramref name="rows"/> stored rows in all, in every column too.</summary>
    public void Reserve(int rows)
    {
        RowNumbers.Reserve(rows);
        Lines.Reserve(rows);
        foreach (var column in columns)
        {
            column.Reserve(rows);
        }
    }

    public ColumnData? Column(string name) => columns.FirstOrDefault(c => c.Name == name);

    public string Where(int row) => _location.Row(RowNumbers[row], Lines[row]);
}
