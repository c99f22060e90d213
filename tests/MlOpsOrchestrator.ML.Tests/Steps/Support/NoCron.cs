using MlOpsOrchestrator.Catalogs;

namespace MlOpsOrchestrator.ML.Tests.Steps.Support;

/// <summary>The end-to-end pipelines have no triggers; cron semantics are the scheduler's tests.</summary>
internal sealed class NoCron : ICronEvaluator
{
    public string? Validate(string expression) => null;

    public IReadOnlyList<DateTimeOffset> NextFireTimes(string expression, TimeZoneInfo timeZone, DateTimeOffset after, int count) => [];
}
