namespace MlOpsOrchestrator.Specs;

public sealed record DataPrepStep : StepSpec
{
    public override StepKind Kind => StepKind.DataPrep;
    public DataChecks Checks { get; init; } = new();
    public SplitSpec Split { get; init; } = new();
}

/// <summary>Data validation of <c>data_prep</c>; a failed check fails the step with every failure listed.</summary>
public sealed record DataChecks
{
    public int? MinRows { get; init; }
    public double? MaxMissingFraction { get; init; }
    public double? MaxDuplicateFraction { get; init; }
}

/// <summary>How the test set is cut when there is no <c>test_source</c>.</summary>
public sealed record SplitSpec
{
    public SplitBy By { get; init; } = SplitBy.Random;
    public double TestFraction { get; init; } = 0.2;
    public int Seed { get; init; } = 42;
}
