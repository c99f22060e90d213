using System.Globalization;

namespace MlOpsOrchestrator.ML.Data;

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
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);

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
