namespace MlOpsOrchestrator.Cli.Replay;

/// <summary>The periods the per-period metric is reported by: UTC days, or weeks starting on Monday 00:00 UTC.</summary>
internal sealed record ReplayPeriod(string Name, TimeSpan Length)
{
    public static ReplayPeriod Day { get; } = new("day", TimeSpan.FromDays(1));

    public static ReplayPeriod Week { get; } = new("week", TimeSpan.FromDays(7));

    /// <summary>Days for a range up to eight weeks, else weeks.</summary>
    public static ReplayPeriod For(DateTimeOffset from, DateTimeOffset to) => to - from <= TimeSpan.FromDays(56) ? Day : Week;

    /// <summary>The start of the period holding <paramref name="ticks"/> (UTC).</summary>
    public DateTime Start(long ticks)
    {
        var day = new DateTime(ticks, DateTimeKind.Utc).Date;
        return Length == TimeSpan.FromDays(1) ? day : day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
    }
}
