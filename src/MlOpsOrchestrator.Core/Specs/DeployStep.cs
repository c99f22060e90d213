namespace MlOpsOrchestrator.Specs;

public sealed record DeployStep : StepSpec
{
    public override StepKind Kind => StepKind.Deploy;
    public string Alias { get; init; } = "production";

    /// <summary>Registry name; the loader fills in the pipeline's name when the YAML omits it.</summary>
    public required string Model { get; init; }

    /// <summary>Promotion on evidence of the challenger this step places; null when a human decides.</summary>
    public PromoteWhen? PromoteWhen { get; init; }
}
