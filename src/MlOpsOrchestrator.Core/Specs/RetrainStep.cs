namespace MlOpsOrchestrator.Specs;

public sealed record RetrainStep : StepSpec
{
    public override StepKind Kind => StepKind.Retrain;
    public RetrainWhen When { get; init; } = RetrainWhen.Drift;

    /// <summary>The id of an <c>on: drift</c> trigger of this pipeline.</summary>
    public required string Trigger { get; init; }
}
