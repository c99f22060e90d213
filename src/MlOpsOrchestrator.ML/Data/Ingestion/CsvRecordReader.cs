using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Text;

namespace MlOpsOrchestrator.ML.Data.Ingestion;

/// <summary>
/// A streaming CSV tokenizer that keeps no more than the current record in memory and knows the line each record
/// starts on. Quoted fields may hold separators, newlines and <c>""</c> escapes; whitespace around fields is
/// trimmed (quoted content is kept as written); a UTF-8 BOM and blank lines are skipped; the last line needs no
/// newline. Fields are exposed as spans into one reused <see cref="SourceRecord"/>. With <see cref="InvalidBytes"/> (a strict UTF-8
/// reader), a record holding bytes that are not UTF-8 gets an <see cref="Error"/> naming the field.
/// </summary>
internal sealed class CsvRecordReader(TextReader reader, char separator, InvalidBytes? invalid = null, long length = 0) : IRecordCursor
{
    private const int ChunkSize = 1 << 16;
    private readonly SourceRecord _record = new();
    private int _nextLine = 1;
    private int _invalidReported;

    // The input is read in chunks and cut into lines in place: no string per line.
    private char[] _chunk = new char[ChunkSize];
    private int _chunkStart;
    private int _chunkEnd;
    private bool _endOfInput;

    public SourceRecord Record => _record;

    /// <summary>The 1-based line of the file the current record starts on.</summary>
    public int Line => _record.Line;

    public int FieldCount => _record.FieldCount;

    /// <summary>Characters consumed from the input so far (about the bytes of an ASCII file), to estimate how many rows are left.</summary>
    public long CharsRead { get; private set; }

    /// <summary>Of the <c>length</c> given (the file's size in bytes, about its characters), 0 when not given.</summary>
    public double FractionRead => length > 0 ? Math.Min(1, (double)CharsRead / length) : 0;

    /// <summary>Set when the current record is malformed (a quote that is never closed, bytes that are not text); its fields are unreliable.</summary>
    public string? Error => _record.Error;

    /// <summary>True when <see cref="Error"/> is about bytes that are not UTF-8.</summary>
    public bool NotText => _record.NotText;

    /// <summary>The column names messages use for field indexes (the header); without them a field is <c>field N</c>.</summary>
    public IReadOnlyList<string>? Columns { get; set; }

    public ReadOnlySpan<char> this[int index] => _record[index];

    public string FieldText(int index) => _record.FieldText(index);

    /// <summary>Moves to the next non-blank record; false at the end of the input.</summary>
    public bool Read()
    {
        while (true)
        {
            if (!NextLine(out var line))
            {
                return false;
            }

            _record.Line = _nextLine++;
            if (Line == 1 && line.Length > 0 && line[0] == '\uFEFF')
            {
                line = line[1..];
            }

            if (line.IsWhiteSpace())
            {
                continue;
            }

            Parse(line);
            if (invalid is not null && invalid.Count > _invalidReported)
            {
                // Only after the decoder met invalid bytes (it decodes ahead of the line returned): the happy path pays
                // one comparison per record.
                FindInvalidText();
            }

            return true;
        }
    }

    public void Dispose() => reader.Dispose();

    /// <summary>
    /// Marks the record when a field holds the U+FFFD an invalid byte sequence was read as, naming the first such field;
    /// each U+FFFD of the record counts against the sequences the decoder met.
    /// </summary>
    private void FindInvalidText()
    {
        for (var i = FieldCount - 1; i >= 0; i--)
        {
            var found = this[i].Count('\uFFFD');
            if (found == 0)
            {
                continue;
            }

            _invalidReported += found;
            var column = Columns is { } names && i < names.Count ? $"column '{Echo.Value(names[i], 40)}'" : $"field {i + 1}";
            _record.Fail(
                $"{column} has bytes that are not UTF-8 (read as '{Echo.Value(this[i], 40)}'); re-save the file as UTF-8, "
                + "or declare its encoding on the source (encoding: latin1 or windows-1252)",
                notText: true);
        }
    }

    private bool IsBlank(char c) => c != separator && (c == ' ' || c == '\t');

    private void Parse(ReadOnlySpan<char> line)
    {
        var record = _record;
        record.Clear();
        var i = 0;
        while (true)
        {
            while (i < line.Length && IsBlank(line[i]))
            {
                i++;
            }

            var start = record.Length;
            if (i < line.Length && line[i] == '"')
            {
                i = ReadQuoted(ref line, i + 1);
                var contentEnd = record.Length;
                while (i < line.Length && line[i] != separator)
                {
                    // Text after the closing quote: blanks are padding, anything else is kept (lenient, like Excel).
                    if (!IsBlank(line[i]))
                    {
                        record.Append(line[i]);
                        contentEnd = record.Length;
                    }

                    i++;
                }

                record.Truncate(contentEnd);
            }
            else
            {
                var end = line[i..].IndexOf(separator);
                end = end < 0 ? line.Length : i + end;
                var last = end;
                while (last > i && IsBlank(line[last - 1]))
                {
                    last--;
                }

                record.Append(line[i..last]);
                i = end;
            }

            record.EndField(start);
            if (i >= line.Length)
            {
                return;
            }

            i++; // the separator
            if (i == line.Length)
            {
                record.EndField(record.Length);
                return;
            }
        }
    }

    /// <summary>
    /// Copies a quoted field's content; reads further lines while the quote is open (<paramref name="line"/> then
    /// becomes the line the field ends on). Returns the index after the closing quote.
    /// </summary>
    private int ReadQuoted(ref ReadOnlySpan<char> line, int i)
    {
        while (true)
        {
            var quote = line[i..].IndexOf('"');
            if (quote < 0)
            {
                _record.Append(line[i..]);
                if (!NextLine(out var next))
                {
                    _record.Fail($"a quoted field that starts on line {Line} is never closed");
                    return line.Length;
                }

                _nextLine++;
                _record.Append('\n');
                line = next;
                i = 0;
                continue;
            }

            quote += i;
            _record.Append(line[i..quote]);
            if (quote + 1 < line.Length && line[quote + 1] == '"')
            {
                _record.Append('"');
                i = quote + 2;
                continue;
            }

            return quote + 1;
        }
    }

    /// <summary>
    /// The next line without its terminator (<c>\n</c>, <c>\r\n</c> or <c>\r</c>, as <see cref="TextReader.ReadLine"/>
    /// cuts lines); the span is valid until the next call.
    /// </summary>
    private bool NextLine(out ReadOnlySpan<char> line)
    {
        var scanned = 0;
        while (true)
        {
            var pending = _chunk.AsSpan(_chunkStart + scanned, _chunkEnd - _chunkStart - scanned);
            var stop = pending.IndexOfAny('\r', '\n');
            if (stop >= 0)
            {
                var at = _chunkStart + scanned + stop;
                if (_chunk[at] == '\r' && at + 1 == _chunkEnd && !_endOfInput)
                {
                    // A CR at the end of the chunk: whether an LF follows decides where the next line starts.
                    scanned += stop;
                    Fill();
                    continue;
                }

                line = _chunk.AsSpan(_chunkStart, at - _chunkStart);
                var next = at + 1;
                if (_chunk[at] == '\r' && next < _chunkEnd && _chunk[next] == '\n')
                {
                    next++;
                }

                CharsRead += next - _chunkStart;
                _chunkStart = next;
                return true;
            }

            if (_endOfInput)
            {
                line = _chunk.AsSpan(_chunkStart, _chunkEnd - _chunkStart);
                CharsRead += line.Length;
                _chunkStart = _chunkEnd;
                return !line.IsEmpty;
            }

            scanned = _chunkEnd - _chunkStart;
            Fill();
        }
    }

    /// <summary>Moves the unconsumed part of the chunk to its start (growing it when a line fills it) and reads more.</summary>
    private void Fill()
    {
        var kept = _chunkEnd - _chunkStart;
        if (_chunkStart > 0)
        {
            Array.Copy(_chunk, _chunkStart, _chunk, 0, kept);
        }
        else if (kept == _chunk.Length)
        {
            Array.Resize(ref _chunk, _chunk.Length * 2);
        }

        (_chunkStart, _chunkEnd) = (0, kept);
        var read = reader.Read(_chunk, kept, _chunk.Length - kept);
        if (read == 0)
        {
            _endOfInput = true;
        }
        else
        {
            _chunkEnd += read;
        }
    }
}
