using System.Globalization;

namespace MlOpsOrchestrator.ML.Data.Columns;

/// <summary>
/// One row's canonical text (see <see cref="Canonical"/>) built in a reused buffer: the same characters
/// <see cref="IOutputColumn.AppendCanonical"/> writes, without a string or a format call per value, because the data
/// hash covers every value of every row.
/// </summary>
internal sealed class CanonicalText
{
    /// <summary>Whole numbers below this print the same as integers and as floats (<c>R</c> switches to exponents later).</summary>
    private const float PlainIntegerLimit = 1e7f;

    private char[] _chars = new char[256];

    public int Length { get; private set; }

    public ReadOnlySpan<char> Span => _chars.AsSpan(0, Length);

    public void Clear() => Length = 0;

    public void Append(char c)
    {
        Reserve(1);
        _chars[Length++] = c;
    }

    public void Append(ReadOnlySpan<char> text)
    {
        Reserve(text.Length);
        text.CopyTo(_chars.AsSpan(Length));
        Length += text.Length;
    }

    /// <summary><see cref="Canonical.Escape"/>: backslash, tab and newlines escaped.</summary>
    public void AppendEscaped(string value)
    {
        if (value.AsSpan().IndexOfAny("\\\t\n\r") < 0)
        {
            Append(value);
            return;
        }

        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': Append("\\\\"); break;
                case '\t': Append("\\t"); break;
                case '\n': Append("\\n"); break;
                case '\r': Append("\\r"); break;
                default: Append(c); break;
            }
        }
    }

    /// <summary>The shortest round-trip text of <paramref name="value"/> (<c>R</c>, invariant culture).</summary>
    public void AppendNumber(float value)
    {
        Reserve(32);
        var destination = _chars.AsSpan(Length);
        int written;
        if (value == MathF.Floor(value) && MathF.Abs(value) < PlainIntegerLimit && !(value == 0 && float.IsNegative(value)))
        {
            ((int)value).TryFormat(destination, out written, provider: CultureInfo.InvariantCulture);
        }
        else
        {
            value.TryFormat(destination, out written, "R", CultureInfo.InvariantCulture);
        }

        Length += written;
    }

    /// <summary><see cref="ValueText.Iso"/> of UTC <paramref name="ticks"/>: <c>yyyy-MM-ddTHH:mm:ss</c>, the fraction without trailing zeros, <c>Z</c>.</summary>
    public void AppendIso(long ticks)
    {
        Reserve(28);
        var (year, month, day) = new DateTime(ticks, DateTimeKind.Utc);
        var time = new DateTime(ticks, DateTimeKind.Utc);
        var span = _chars.AsSpan(Length);
        Digits(span, 0, 4, year);
        span[4] = '-';
        Digits(span, 5, 2, month);
        span[7] = '-';
        Digits(span, 8, 2, day);
        span[10] = 'T';
        Digits(span, 11, 2, time.Hour);
        span[13] = ':';
        Digits(span, 14, 2, time.Minute);
        span[16] = ':';
        Digits(span, 17, 2, time.Second);
        var length = 19;
        var fraction = (int)(ticks % TimeSpan.TicksPerSecond);
        if (fraction != 0)
        {
            var digits = 7;
            while (fraction % 10 == 0)
            {
                fraction /= 10;
                digits--;
            }

            span[length] = '.';
            Digits(span, length + 1, digits, fraction);
            length += 1 + digits;
        }

        span[length++] = 'Z';
        Length += length;
    }

    private static void Digits(Span<char> span, int start, int count, int value)
    {
        for (var i = start + count - 1; i >= start; i--)
        {
            span[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }

    private void Reserve(int more)
    {
        if (Length + more > _chars.Length)
        {
            Array.Resize(ref _chars, Math.Max(_chars.Length * 2, Length + more));
        }
    }
}
