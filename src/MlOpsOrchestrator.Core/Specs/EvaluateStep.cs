namespace MlOpsOrchestrator.Specs;

public sealed record EvaluateStep : StepSpec
{
    public override StepKind Kind => StepKind.Evaluate;
    public IReadOnlyList<GateSpec> Gates { get; init; } = [];

    /// <summary>The metric that picks the best of several candidates; defaults to the first gate's, then the task's usual one.</summary>
    public string? PrimaryMetric { get; init; }
}
