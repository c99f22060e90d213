namespace MlOpsOrchestrator.Specs;

public sealed record DataPrepStep : StepSpec
{
    public override StepKind Kind => StepKind.DataPrep;
    public DataChecks Checks { get; init; } = new();
    public SplitSpec Split { get; init; } = new();
}
