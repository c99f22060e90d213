using System.Globalization;
using System.Text.RegularExpressions;

namespace MlOpsOrchestrator.Loading;

/// <summary>Durations as authors write them: <c>90s</c>, <c>15m</c>, <c>1h</c>, <c>7d</c>, <c>2w</c>.</summary>
internal static partial class Durations
{
    /// <summary>Ten years: longer windows are typos, and would overflow time arithmetic.</summary>
    private const double MaxDays = 3653;

    [GeneratedRegex("^([0-9]+)(s|m|h|d|w)$")]
    private static partial Regex Pattern();

    public static TimeSpan? Parse(string text)
    {
        var match = Pattern().Match(text);
        if (!match.Success || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n == 0)
        {
            return null;
        }

        var days = match.Groups[2].Value switch { "s" => n / 86400.0, "m" => n / 1440.0, "h" => n / 24.0, "d" => n, _ => 7.0 * n };
        if (days > MaxDays)
        {
            return null;
        }

        return match.Groups[2].Value switch
        {
            "s" => TimeSpan.FromSeconds(n),
            "m" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n),
            "d" => TimeSpan.FromDays(n),
            _ => TimeSpan.FromDays(7.0 * n),
        };
    }

    public static TimeSpan? Read(Fields fields, string key)
    {
        var text = fields.String(key);
        if (text is null)
        {
            return null;
        }

        var value = Parse(text);
        if (value is null)
        {
            fields.Error(key, $"invalid duration '{text}'; use a positive number with s, m, h, d or w, at most ten years, e.g. '15m' or '7d'");
        }

        return value;
    }
}
