using System.Globalization;

namespace MlOpsOrchestrator.Loading;

/// <summary>The duration syntax of pipeline files (<c>90s</c>, <c>15m</c>, <c>1h</c>, <c>7d</c>, <c>2w</c>), for hosts that take the same syntax.</summary>
public static class DurationText
{
    public static TimeSpan? Parse(string text) => Durations.Parse(text);

    /// <summary>A duration as the YAML writes it when it is whole days, hours, minutes or seconds (<c>7d</c>), else as a time span.</summary>
    public static string Format(TimeSpan span) => span.Ticks switch
    {
        0 => "0s",
        var t when t % TimeSpan.TicksPerDay == 0 => string.Create(CultureInfo.InvariantCulture, $"{t / TimeSpan.TicksPerDay}d"),
        var t when t % TimeSpan.TicksPerHour == 0 => string.Create(CultureInfo.InvariantCulture, $"{t / TimeSpan.TicksPerHour}h"),
        var t when t % TimeSpan.TicksPerMinute == 0 => string.Create(CultureInfo.InvariantCulture, $"{t / TimeSpan.TicksPerMinute}m"),
        var t when t % TimeSpan.TicksPerSecond == 0 => string.Create(CultureInfo.InvariantCulture, $"{t / TimeSpan.TicksPerSecond}s"),
        _ => span.ToString("c", CultureInfo.InvariantCulture),
    };
}
