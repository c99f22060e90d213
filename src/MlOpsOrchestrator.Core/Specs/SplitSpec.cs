namespace MlOpsOrchestrator.Specs;

/// <summary>How the test set is cut when there is no <c>test_source</c>.</summary>
public sealed record SplitSpec
{
    public SplitBy By { get; init; } = SplitBy.Random;
    public double TestFraction { get; init; } = 0.2;
    public int Seed { get; init; } = 42;
}
