using System.Text;
using MlOpsOrchestrator.Sources;

namespace MlOpsOrchestrator.Storage.Sources;

/// <summary>
/// A query result spooled to a local file: the column count and names, then every value of every row as
/// length-prefixed UTF-8 text, exactly as fetched (no quoting, no trimming). Disposing it deletes the file.
/// </summary>
internal sealed class PostgresSpool : IRecordSource
{
    private readonly string _path;

    private PostgresSpool(string path, string displayName, IReadOnlyList<string> columns)
    {
        _path = path;
        DisplayName = displayName;
        Columns = columns;
    }

    public string DisplayName { get; }

    public IReadOnlyList<string> Columns { get; }

    /// <summary>Rows of a result set have no file lines worth naming.</summary>
    public bool HasLines => false;

    /// <summary>The query selected by <c>@watermark</c>: no row means nothing new.</summary>
    public bool FiltersByWatermark => true;

    public string NoRows => $"{DisplayName} returned no rows";

    /// <summary>Reads the spool's column names; null, with the <paramref name="problem"/>, when they cannot name columns.</summary>
    public static PostgresSpool? Open(string path, string displayName, out string? problem)
    {
        var fields = new List<string>();
        using (var reader = new BinaryReader(File.OpenRead(path), Encoding.UTF8))
        {
            var count = reader.ReadInt32();
            for (var i = 0; i < count; i++)
            {
                fields.Add(reader.ReadString());
            }
        }

        if (fields.Count == 0)
        {
            problem = $"{displayName} is empty: it has no header and no rows";
            return null;
        }

        var names = SourceHeader.Names(fields, displayName, out problem);
        return names is null ? null : new PostgresSpool(path, displayName, names);
    }

    /// <summary>The spool file, while the source is open.</summary>
    internal string Path => _path;

    public IRecordCursor OpenRecords() => new SpoolCursor(_path, Columns.Count);

    public void Dispose() => File.Delete(_path);

    /// <summary>Decodes one row at a time into the record; no allocation per value.</summary>
    private sealed class SpoolCursor : IRecordCursor
    {
        private readonly FileStream _stream;
        private readonly BinaryReader _reader;
        private readonly int _fields;
        private byte[] _bytes = new byte[256];
        private char[] _chars = new char[256];

        public SpoolCursor(string path, int fields)
        {
            _fields = fields;
            _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            _reader = new BinaryReader(_stream, Encoding.UTF8);
            var count = _reader.ReadInt32();
            for (var i = 0; i < count; i++)
            {
                _reader.ReadString();
            }
        }

        public SourceRecord Record { get; } = new();

        public double FractionRead => _stream.Length > 0 ? (double)_stream.Position / _stream.Length : 0;

        public bool Read()
        {
            if (_stream.Position >= _stream.Length)
            {
                return false;
            }

            var record = Record;
            record.Clear();
            record.Line++;
            for (var i = 0; i < _fields; i++)
            {
                var start = record.Length;
                var length = _reader.Read7BitEncodedInt();
                if (length > _bytes.Length)
                {
                    _bytes = new byte[Math.Max(length, _bytes.Length * 2)];
                }

                _stream.ReadExactly(_bytes, 0, length);
                var chars = Encoding.UTF8.GetMaxCharCount(length);
                if (chars > _chars.Length)
                {
                    _chars = new char[Math.Max(chars, _chars.Length * 2)];
                }

                var decoded = Encoding.UTF8.GetChars(_bytes, 0, length, _chars, 0);
                record.Append(_chars.AsSpan(0, decoded));
                record.EndField(start);
            }

            return true;
        }

        public void Dispose() => _reader.Dispose();
    }
}
