using MlOpsOrchestrator.Catalogs;
using Quartz;

namespace MlOpsOrchestrator.Scheduling.Cron;

/// <summary>Cron rules and fire times exactly as Quartz will apply them when it schedules the trigger.</summary>
public sealed class QuartzCronEvaluator : ICronEvaluator
{
    public static QuartzCronEvaluator Instance { get; } = new();

    public string? Validate(string expression)
    {
        try
        {
            _ = CronExpression.Parse(expression);
            return null;
        }
        catch (FormatException ex)
        {
            return ex.Message.TrimEnd('.');
        }
    }

    public IReadOnlyList<DateTimeOffset> NextFireTimes(string expression, TimeZoneInfo timeZone, DateTimeOffset after, int count)
    {
        var cron = new CronExpression(expression, timeZone);
        var times = new List<DateTimeOffset>(count);
        var current = after;
        while (times.Count < count && cron.GetNextValidTimeAfter(current) is { } next)
        {
            times.Add(next);
            current = next;
        }

        return times;
    }
}
