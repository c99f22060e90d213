namespace MlOpsOrchestrator.Storage.Sql;

/// <summary>
/// Both engines keep times in UTC to the microsecond (PostgreSQL's <c>timestamptz</c> precision), so a time reads
/// back the same whichever engine stored it.
/// </summary>
internal static class Times
{
    public static DateTimeOffset ToUtcMicroseconds(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
    }

    /// <summary><paramref name="now"/> minus <paramref name="age"/>, clamped at the earliest representable time.</summary>
    public static DateTimeOffset Before(DateTimeOffset now, TimeSpan age) =>
        now.UtcTicks - DateTimeOffset.MinValue.UtcTicks <= age.Ticks ? DateTimeOffset.MinValue : now - age;
}
