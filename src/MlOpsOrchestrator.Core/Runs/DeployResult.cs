namespace MlOpsOrchestrator.Runs;

/// <summary>What a <c>deploy</c> step registered: the run's model (<see cref="RunRecord.Model"/>) once it succeeds.</summary>
public sealed record DeployResult : StepResult
{
    public required ModelRef Deployed { get; init; }

    /// <summary>Why the version was registered without moving the alias (evaluate held it back); null when it was deployed.</summary>
    public string? HeldBack { get; init; }
}
