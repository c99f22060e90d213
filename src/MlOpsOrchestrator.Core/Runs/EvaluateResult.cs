namespace MlOpsOrchestrator.Runs;

/// <summary>What an <c>evaluate</c> step decided: the candidate to deploy and the production version it was compared against.</summary>
public sealed record EvaluateResult : StepResult
{
    /// <summary>The step id of the chosen candidate train step.</summary>
    public required string Chosen { get; init; }

    /// <summary>The production version measured on the same test set; null when there was none.</summary>
    public int? ProductionVersion { get; init; }

    /// <summary>
    /// Why the chosen candidate may be registered but must not be deployed (too few evaluation rows, the built-in
    /// safety); null when it may be deployed.
    /// </summary>
    public string? HeldBack { get; init; }

    /// <summary>
    /// True when the step failed because a gate judged the candidate not good enough, not because the data or the system
    /// failed: the rows were consumed, so the run still advances the watermark.
    /// </summary>
    public bool Rejected { get; init; }

    /// <summary>The slice gates that failed, slice by slice (null when none failed or none are set).</summary>
    public IReadOnlyList<SliceVerdict>? SliceFailures { get; init; }
}
