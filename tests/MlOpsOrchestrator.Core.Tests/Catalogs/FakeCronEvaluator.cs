using MlOpsOrchestrator.Catalogs;

namespace MlOpsOrchestrator.Tests.Catalogs;

/// <summary>
/// Accepts Quartz-shaped expressions (6 or 7 fields) and answers fixed fire times, so plans are predictable. A year
/// field of 1999 never fires again. The real Quartz evaluator is tested with the scheduler.
/// </summary>
internal sealed class FakeCronEvaluator : ICronEvaluator
{
    /// <summary>The first fire time answered; later ones follow a day apart. Not UTC, so conversion shows.</summary>
    public static readonly DateTimeOffset FirstFire = new(2030, 1, 1, 2, 0, 0, TimeSpan.FromHours(1));

    public List<(string Expression, string TimeZoneId, DateTimeOffset After, int Count)> Calls { get; } = [];

    public string? Validate(string expression)
    {
        var fields = Fields(expression).Length;
        return fields is 6 or 7 ? null : $"expected 6 or 7 fields, got {fields}";
    }

    public IReadOnlyList<DateTimeOffset> NextFireTimes(string expression, TimeZoneInfo timeZone, DateTimeOffset after, int count)
    {
        Calls.Add((expression, timeZone.Id, after, count));
        var fields = Fields(expression);
        if (fields.Length == 7 && fields[6] == "1999")
        {
            return [];
        }

        return Enumerable.Range(0, count).Select(i => FirstFire.AddDays(i)).ToList();
    }

    private static string[] Fields(string expression) => expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
