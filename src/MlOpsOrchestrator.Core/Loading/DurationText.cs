namespace MlOpsOrchestrator.Loading;

/// <summary>The duration syntax of pipeline files (<c>90s</c>, <c>15m</c>, <c>1h</c>, <c>7d</c>, <c>2w</c>), for hosts that take the same syntax.</summary>
public static class DurationText
{
    public static TimeSpan? Parse(string text) => Durations.Parse(text);
}
