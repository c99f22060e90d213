using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Text;

namespace MlOpsOrchestrator.ML.Data.Ingestion;

/// <summary>
/// A CSV file as a table source: its column names (from the header, or <c>column_0…</c>, or the schema's names when
/// the schema names every column in order, as the pipeline loader decides) and fresh readers positioned on the
/// first data record, so the file can be read twice (type inference, then typed reading) without holding it.
/// </summary>
internal sealed class CsvFile : IRecordSource
{
    private CsvFile(string path, string displayName, char separator, bool header, SourceEncoding encoding)
    {
        Encoding = encoding;
        Path = path;
        DisplayName = displayName;
        Separator = separator;
        Header = header;
    }

    public string Path { get; }

    /// <summary>How messages name the source: the file name.</summary>
    public string DisplayName { get; }

    public char Separator { get; }

    public bool Header { get; }

    public SourceEncoding Encoding { get; }

    public bool HasLines => true;

    /// <summary>A file holds every row; incremental runs skip the old ones by the timestamp column.</summary>
    public bool FiltersByWatermark => false;

    public string NoRows => $"{DisplayName} has no data rows";

    public IReadOnlyList<string> Columns { get; private set; } = [];

    /// <summary>Opens the file and reads its column names; a null file comes with the reason.</summary>
    public static (CsvFile? File, string? Problem) Open(
        string path, string displayName, char separator, bool header, IReadOnlyList<string> schemaNames,
        SourceEncoding encoding = SourceEncoding.Utf8)
    {
        var file = new CsvFile(path, displayName, separator, header, encoding);
        using var reader = file.OpenRaw();
        if (!reader.Read())
        {
            return (null, $"{displayName} is empty: it has no header and no rows");
        }

        if (reader.NotText)
        {
            return (null, $"{displayName}, {(header ? "the header (line 1)" : "line 1")}: {reader.Error}");
        }

        var fields = Enumerable.Range(0, reader.FieldCount).Select(reader.FieldText).ToList();
        if (header)
        {
            var names = SourceHeader.Names(fields, displayName, out var problem);
            if (names is null)
            {
                return (null, problem);
            }

            file.Columns = names;
        }
        else
        {
            file.Columns = schemaNames.Count == fields.Count
                ? schemaNames
                : Enumerable.Range(0, fields.Count).Select(i => $"column_{i}").ToList();
        }

        return (file, null);
    }

    /// <summary>A reader positioned on the first data record.</summary>
    public CsvRecordReader OpenRecords()
    {
        var reader = OpenRaw();
        reader.Columns = Columns;
        if (Header)
        {
            reader.Read();
        }

        return reader;
    }

    IRecordCursor IRecordSource.OpenRecords() => OpenRecords();

    /// <summary>Nothing to remove: the file is the user's.</summary>
    public void Dispose()
    {
    }

    private CsvRecordReader OpenRaw()
    {
        // A StreamReader keeps a char buffer as large as its byte buffer: 64 KB of bytes would be 128 KB of chars, an
        // allocation on the large object heap each time the file is opened (three times a data_prep), which brings the
        // next full collection closer. 16 KB reads sequentially just as well.
        var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var (text, invalid) = SourceText.Open(stream, Encoding, ReadBufferBytes);
        return new CsvRecordReader(text, Separator, invalid, stream.Length);
    }

    /// <summary>Below the large object heap's 85,000 bytes once doubled into chars.</summary>
    private const int ReadBufferBytes = 1 << 14;
}
