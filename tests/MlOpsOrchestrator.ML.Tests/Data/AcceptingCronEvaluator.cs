using MlOpsOrchestrator.Catalogs;

namespace MlOpsOrchestrator.ML.Tests.Data;

/// <summary>Cron semantics are tested with the scheduler; here every expression is valid and fires daily.</summary>
internal sealed class AcceptingCronEvaluator : ICronEvaluator
{
    public string? Validate(string expression) => null;

    public IReadOnlyList<DateTimeOffset> NextFireTimes(string expression, TimeZoneInfo timeZone, DateTimeOffset after, int count) =>
        Enumerable.Range(1, count).Select(i => after.AddDays(i)).ToList();
}
