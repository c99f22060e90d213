namespace MlOpsOrchestrator.ML.Tests.Steps.Support;

/// <summary>A clock that always says the same moment.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
