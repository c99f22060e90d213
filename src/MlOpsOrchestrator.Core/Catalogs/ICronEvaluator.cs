namespace MlOpsOrchestrator.Catalogs;

/// <summary>
/// Cron semantics live with the scheduler (Quartz); Core asks through this contract so that a pipeline file is
/// validated with exactly the rules that will later fire it.
/// </summary>
public interface ICronEvaluator
{
    /// <summary>Null when <paramref name="expression"/> is a valid cron expression, otherwise the reason it is not.</summary>
    string? Validate(string expression);

    /// <summary>The next <paramref name="count"/> fire times strictly after <paramref name="after"/>, evaluated in <paramref name="timeZone"/>.</summary>
    IReadOnlyList<DateTimeOffset> NextFireTimes(string expression, TimeZoneInfo timeZone, DateTimeOffset after, int count);
}
