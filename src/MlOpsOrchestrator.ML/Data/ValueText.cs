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

    /// <summary>ISO 8601 UTC with a <c>Z</c>, the form of watermarks and profile time ranges.</summary>
    public static string Iso(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>The shortest text that round-trips the number: <c>1.</c>, <c>1.0</c> and <c>1</c> all become <c>1</c>.</summary>
    public static string Canonical(double number) => number.ToString("R", CultureInfo.InvariantCulture);

    private static readonly (string Word, bool Meaning)[] BooleanWords =
        [("yes", true), ("no", false), ("y", true), ("n", false), ("t", true), ("f", false)];
}
