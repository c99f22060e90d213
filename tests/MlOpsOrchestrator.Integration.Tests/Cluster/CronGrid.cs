namespace MlOpsOrchestrator.Integration.Tests.Cluster;

/// <summary>The fire times of an every-N-seconds Quartz cron (<c>0/N * * * * ?</c>), to tell a tick's run from a catch-up.</summary>
internal static class CronGrid
{
    /// <summary>Whether a time is one of the cron's ticks: a whole second divisible by <paramref name="seconds"/>.</summary>
    public static Func<DateTimeOffset, bool> OnGrid(int seconds) =>
        t => t.Millisecond == 0 && t.Microsecond == 0 && t.Second % seconds == 0;

    /// <summary>The first tick strictly after <paramref name="after"/>'s whole second.</summary>
    public static DateTimeOffset NextTick(DateTimeOffset after, int seconds)
    {
        var whole = new DateTimeOffset(after.Year, after.Month, after.Day, after.Hour, after.Minute, after.Second, TimeSpan.Zero);
        return whole.AddSeconds(seconds - (whole.Second % seconds));
    }

    /// <summary>The ticks in [<paramref name="from"/>, <paramref name="until"/>).</summary>
    public static IEnumerable<DateTimeOffset> Ticks(DateTimeOffset from, DateTimeOffset until, int seconds)
    {
        for (var tick = NextTick(from.AddTicks(-1), seconds); tick < until; tick = tick.AddSeconds(seconds))
        {
            yield return tick;
        }
    }
}
