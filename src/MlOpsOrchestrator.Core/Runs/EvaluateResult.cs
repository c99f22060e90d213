namespace MlOpsOrchestrator.Runs;

/// <summary>What an <c>evaluate</c> step decided: the candidate to deploy and the production version it was compared against.</summary>
public sealed record EvaluateResult : StepResult
{
    /// <summary>The step id of the chosen candidate train step.</summary>
    public required string Chosen { get; init; }

    /// <summary>The production version measured on the same test set; null when there was none.</summary>
    public int? ProductionVersion { get; init; }
}
