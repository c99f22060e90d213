using System.Globalization;

namespace MlOpsOrchestrator.Cli.Commands;

/// <summary>
/// Reads option values that need more than System.CommandLine's parsing, collecting every problem so a command reports
/// all of them at once (exit 2): a returned fallback is never used when a problem was added.
/// </summary>
internal static class CommandLineValues
{
    public static T Fail<T>(List<string> problems, T fallback, string message)
    {
        problems.Add(message);
        return fallback;
    }

    /// <summary>A UTC time in ISO 8601 (<c>2025-06-01T00:00:00Z</c>), or null with a problem added.</summary>
    public static DateTime? Time(string text, string option, List<string> problems)
    {
        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }

        problems.Add($"{option} '{text}' is not a date and time; use ISO 8601, e.g. 2025-06-01T00:00:00Z");
        return null;
    }

    /// <summary>A duration as pipelines write it (<c>90s</c>, <c>5m</c>, <c>1h</c>, <c>1d</c>), or <paramref name="fallback"/> with a problem added.</summary>
    public static TimeSpan Duration(string text, string option, List<string> problems, TimeSpan fallback) =>
        Loading.DurationText.Parse(text) ?? Fail(problems, fallback, $"{option} must look like 90s, 5m, 1h or 1d");
}
