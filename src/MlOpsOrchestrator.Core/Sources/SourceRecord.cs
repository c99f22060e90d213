namespace MlOpsOrchestrator.Sources;

/// <summary>
/// The current record of an <see cref="IRecordCursor"/>: its fields as spans into one reused buffer, where it is in
/// the source, and whether it is malformed. Cursors write it; steps read it.
/// </summary>
public sealed class SourceRecord
{
    private char[] _buffer = new char[1024];
    private int[] _starts = new int[64];
    private int[] _lengths = new int[64];

    /// <summary>The 1-based line of the file the record starts on (the record's number when the source has no lines).</summary>
    public int Line { get; set; }

    public int FieldCount { get; private set; }

    /// <summary>Characters held so far, all fields together.</summary>
    public int Length { get; private set; }

    /// <summary>Set when the record is malformed (a quote never closed, bytes that are not text); its fields are unreliable.</summary>
    public string? Error { get; private set; }

    /// <summary>True when <see cref="Error"/> is about bytes that are not text.</summary>
    public bool NotText { get; private set; }

    public ReadOnlySpan<char> this[int index] => _buffer.AsSpan(_starts[index], _lengths[index]);

    public string FieldText(int index) => this[index].ToString();

    /// <summary>Starts a new record: no fields, no error.</summary>
    public void Clear()
    {
        Length = 0;
        FieldCount = 0;
        Error = null;
        NotText = false;
    }

    public void Fail(string error, bool notText = false)
    {
        Error = error;
        NotText = notText;
    }

    public void Append(char c)
    {
        Reserve(1);
        _buffer[Length++] = c;
    }

    public void Append(ReadOnlySpan<char> text)
    {
        Reserve(text.Length);
        text.CopyTo(_buffer.AsSpan(Length));
        Length += text.Length;
    }

    /// <summary>Drops the characters after <paramref name="length"/> (trailing padding of the field being written).</summary>
    public void Truncate(int length) => Length = Math.Clamp(length, 0, Length);

    /// <summary>Ends a field: the characters from <paramref name="start"/> to <see cref="Length"/>.</summary>
    public void EndField(int start)
    {
        if (FieldCount == _starts.Length)
        {
            Array.Resize(ref _starts, _starts.Length * 2);
            Array.Resize(ref _lengths, _lengths.Length * 2);
        }

        _starts[FieldCount] = start;
        _lengths[FieldCount] = Length - start;
        FieldCount++;
    }

    private void Reserve(int more)
    {
        if (Length + more > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + more));
        }
    }
}
