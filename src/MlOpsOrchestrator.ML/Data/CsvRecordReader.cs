namespace MlOpsOrchestrator.ML.Data;

/// <summary>
/// A streaming CSV tokenizer that keeps no more than the current record in memory and knows the line each record
/// starts on. Quoted fields may hold separators, newlines and <c>""</c> escapes; whitespace around fields is
/// trimmed (quoted content is kept as written); a UTF-8 BOM and blank lines are skipped; the last line needs no
/// newline. Fields are exposed as spans into one reused buffer.
/// </summary>
internal sealed class CsvRecordReader(TextReader reader, char separator) : IDisposable
{
    private char[] _buffer = new char[1024];
    private int[] _starts = new int[64];
    private int[] _lengths = new int[64];
    private int _length;
    private int _nextLine = 1;

    /// <summary>The 1-based line of the file the current record starts on.</summary>
    public int Line { get; private set; }

    public int FieldCount { get; private set; }

    /// <summary>Set when the current record is malformed (a quote that is never closed); its fields are unreliable.</summary>
    public string? Error { get; private set; }

    public ReadOnlySpan<char> this[int index] => _buffer.AsSpan(_starts[index], _lengths[index]);

    public string FieldText(int index) => this[index].ToString();

    /// <summary>Moves to the next non-blank record; false at the end of the input.</summary>
    public bool Read()
    {
        while (true)
        {
            var line = reader.ReadLine();
            if (line is null)
            {
                return false;
            }

            Line = _nextLine++;
            if (Line == 1 && line.Length > 0 && line[0] == '\uFEFF')
            {
                line = line[1..];
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            Parse(line);
            return true;
        }
    }

    public void Dispose() => reader.Dispose();

    private bool IsBlank(char c) => c != separator && (c == ' ' || c == '\t');

    private void Parse(string line)
    {
        _length = 0;
        FieldCount = 0;
        Error = null;
        var i = 0;
        while (true)
        {
            while (i < line.Length && IsBlank(line[i]))
            {
                i++;
            }

            var start = _length;
            if (i < line.Length && line[i] == '"')
            {
                (line, i) = ReadQuoted(line, i + 1);
                var contentEnd = _length;
                while (i < line.Length && line[i] != separator)
                {
                    // Text after the closing quote: blanks are padding, anything else is kept (lenient, like Excel).
                    if (!IsBlank(line[i]))
                    {
                        Append(line[i]);
                        contentEnd = _length;
                    }

                    i++;
                }

                _length = contentEnd;
            }
            else
            {
                var end = line.IndexOf(separator, i);
                end = end < 0 ? line.Length : end;
                var last = end;
                while (last > i && IsBlank(line[last - 1]))
                {
                    last--;
                }

                Append(line.AsSpan(i, last - i));
                i = end;
            }

            AddField(start, _length - start);
            if (i >= line.Length)
            {
                return;
            }

            i++; // the separator
            if (i == line.Length)
            {
                AddField(_length, 0);
                return;
            }
        }
    }

    /// <summary>Copies a quoted field's content; reads further lines while the quote is open. Returns the line and index after the closing quote.</summary>
    private (string Line, int Index) ReadQuoted(string line, int i)
    {
        while (true)
        {
            var quote = line.IndexOf('"', i);
            if (quote < 0)
            {
                Append(line.AsSpan(i));
                var next = reader.ReadLine();
                if (next is null)
                {
                    Error = $"a quoted field that starts on line {Line} is never closed";
                    return (line, line.Length);
                }

                _nextLine++;
                Append('\n');
                (line, i) = (next, 0);
                continue;
            }

            Append(line.AsSpan(i, quote - i));
            if (quote + 1 < line.Length && line[quote + 1] == '"')
            {
                Append('"');
                i = quote + 2;
                continue;
            }

            return (line, quote + 1);
        }
    }

    private void AddField(int start, int length)
    {
        if (FieldCount == _starts.Length)
        {
            Array.Resize(ref _starts, _starts.Length * 2);
            Array.Resize(ref _lengths, _lengths.Length * 2);
        }

        _starts[FieldCount] = start;
        _lengths[FieldCount] = length;
        FieldCount++;
    }

    private void Append(char c)
    {
        Reserve(1);
        _buffer[_length++] = c;
    }

    private void Append(ReadOnlySpan<char> text)
    {
        Reserve(text.Length);
        text.CopyTo(_buffer.AsSpan(_length));
        _length += text.Length;
    }

    private void Reserve(int more)
    {
        if (_length + more > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + more));
        }
    }
}
