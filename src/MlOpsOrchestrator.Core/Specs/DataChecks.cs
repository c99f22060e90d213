namespace MlOpsOrchestrator.Specs;

/// <summary>Data validation of <c>data_prep</c>; a failed check fails the step with every failure listed.</summary>
public sealed record DataChecks
{
    public int? MinRows { get; init; }
    public double? MaxMissingFraction { get; init; }
    public double? MaxDuplicateFraction { get; init; }
}
