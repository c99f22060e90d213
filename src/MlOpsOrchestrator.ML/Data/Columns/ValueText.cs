using System.Globalization;

namespace MlOpsOrchestrator.ML.Data.Columns;

/// <summary>
/// How raw field text becomes typed values, and how typed values are written back as canonical text (for the data
/// hash and duplicate detection). Everything is culture-invariant; timestamps without an offset are UTC.
/// </summary>
internal static class ValueText
{
    /// <summary>ISO 8601 shapes accepted for <c>datetime</c>: a date, or a date and time with optional fraction and offset.</summary>
    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd",
        "yyyy-MM-dd HH:mmK",
        "yyyy-MM-ddTHH:mmK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
        "yyyy-MM-ddTHH:mm:ss.FFFFFFFK",
    ];

    /// <summary>Empty and <c>?</c> are missing in every column.</summary>
    public static bool IsMissing(ReadOnlySpan<char> value) => value.IsEmpty || value is "?";

    /// <summary>In numeric columns <c>NaN</c> (any case) is missing too, as numpy and pandas write it.</summary>
    public static bool IsNaN(ReadOnlySpan<char> value) => value.Equals("nan", StringComparison.OrdinalIgnoreCase);

    /// <summary>A finite number; <c>1.</c> and <c>1e3</c> are numbers, thousands separators are not.</summary>
    public static bool TryNumber(ReadOnlySpan<char> value, out double number) =>
        TryPlainDecimal(value, out number)
        || (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number));

    /// <summary>Powers of ten a double holds exactly.</summary>
    private static readonly double[] ExactPowersOfTen =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

    /// <summary>
    /// The common shape, <c>[-+]digits[.digits]</c> with at most 15 digits, without the general parser: the digits
    /// as an integer and the power of ten are both exact doubles, so one division gives the correctly rounded value,
    /// the same double <see cref="double.TryParse(ReadOnlySpan{char}, NumberStyles, IFormatProvider, out double)"/>
    /// returns. Anything else (exponents, more digits, blanks) is left to that parser.
    /// </summary>
    private static bool TryPlainDecimal(ReadOnlySpan<char> value, out double number)
    {
        number = 0;
        var i = value.Length > 0 && value[0] is '-' or '+' ? 1 : 0;
        long digits = 0;
        int count = 0, fraction = -1;
        for (; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '.' && fraction < 0)
            {
                fraction = 0;
                continue;
            }

            var digit = c - '0';
            if (digit is < 0 or > 9 || ++count > 15)
            {
                return false;
            }

            digits = (digits * 10) + digit;
            fraction += fraction >= 0 ? 1 : 0;
        }

        if (count == 0)
        {
            return false;
        }

        number = fraction > 0 ? digits / ExactPowersOfTen[fraction] : digits;
        number = value[0] == '-' ? -number : number;
        return true;
    }

    public static bool IsWhole(double number) => number == Math.Floor(number);

    /// <summary>What inference calls boolean: <c>true</c>/<c>false</c> in any case.</summary>
    public static bool TryTrueFalse(ReadOnlySpan<char> value, out bool result)
    {
        if (value.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            result = true;
            return true;
        }

        result = false;
        return value.Equals("false", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>What a declared <c>boolean</c> accepts: true/false, yes/no, y/n, t/f and the numbers 1/0.</summary>
    public static bool TryBoolean(ReadOnlySpan<char> value, out bool result)
    {
        if (TryTrueFalse(value, out result))
        {
            return true;
        }

        foreach (var (word, meaning) in BooleanWords)
        {
            if (value.Equals(word, StringComparison.OrdinalIgnoreCase))
            {
                result = meaning;
                return true;
            }
        }

        if (TryNumber(value, out var number) && number is 0 or 1)
        {
            result = number == 1;
            return true;
        }

        return false;
    }

    /// <summary>Parses an ISO 8601 date or timestamp to UTC ticks; no offset means UTC.</summary>
    public static bool TryDate(ReadOnlySpan<char> value, out DateTime utc)
    {
        // The common shapes without the general parser: incremental runs parse every timestamp of the source to skip
        // the rows before the watermark, and TryParseExact over five formats costs ~0.5 µs a value.
        if (TryCommonDate(value, out utc))
        {
            return true;
        }

        // Cheap shape test first: inference tries every value of every undeclared column.
        if (value.Length >= 10 && value[4] == '-' && value[7] == '-' &&
            DateTimeOffset.TryParseExact(value, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            utc = parsed.UtcDateTime;
            return true;
        }

        utc = default;
        return false;
    }

    /// <summary>
    /// <c>yyyy-MM-dd</c>, <c>yyyy-MM-dd HH:mm:ss</c> and <c>yyyy-MM-ddTHH:mm:ssZ</c> (UTC, as the general formats read
    /// them) when every field is in range; false for anything else, which the general parser then decides.
    /// </summary>
    private static bool TryCommonDate(ReadOnlySpan<char> value, out DateTime utc)
    {
        utc = default;
        var timed = value.Length == 19 && value[10] is ' ' or 'T' || value.Length == 20 && value[10] == 'T' && value[19] == 'Z';
        if ((value.Length != 10 && !timed) || value[4] != '-' || value[7] != '-')
        {
            return false;
        }

        if (!Digits(value, 0, 4, out var year) || !Digits(value, 5, 2, out var month) || !Digits(value, 8, 2, out var day)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        if (!timed)
        {
            utc = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc);
            return true;
        }

        if (value[13] != ':' || value[16] != ':' || !Digits(value, 11, 2, out var hour) || !Digits(value, 14, 2, out var minute)
            || !Digits(value, 17, 2, out var second) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        utc = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> value, int start, int count, out int number)
    {
        number = 0;
        for (var i = start; i < start + count; i++)
        {
            var digit = value[i] - '0';
            if (digit is < 0 or > 9)
            {
                return false;
            }

            number = (number * 10) + digit;
        }

        return true;
    }

    /// <summary>ISO 8601 UTC with a <c>Z</c>, the form of watermarks and profile time ranges.</summary>
    public static string Iso(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>The shortest text that round-trips the number: <c>1.</c>, <c>1.0</c> and <c>1</c> all become <c>1</c>.</summary>
    public static string Canonical(double number) => number.ToString("R", CultureInfo.InvariantCulture);

    private static readonly (string Word, bool Meaning)[] BooleanWords =
        [("yes", true), ("no", false), ("y", true), ("n", false), ("t", true), ("f", false)];
}
