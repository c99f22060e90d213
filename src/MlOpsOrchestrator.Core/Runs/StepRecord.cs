namespace MlOpsOrchestrator.Runs;

/// <summary>
/// One step of a run as persisted. <see cref="Result"/> carries what later steps and the run need (the chosen
/// candidate, the data hash, the deployed model, the new watermark); <see cref="Artifacts"/> names files relative to
/// the artifact root.
/// </summary>
public sealed record StepRecord
{
    public required string RunId { get; init; }
    public required string StepId { get; init; }

    /// <summary>The YAML kind word (<c>data_prep</c>, <c>train</c>, …).</summary>
    public required string Kind { get; init; }
    public StepStatus Status { get; init; } = StepStatus.Pending;
    public int Attempts { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
    public IReadOnlyDictionary<string, string> Artifacts { get; init; } = new Dictionary<string, string>();

    /// <summary>The typed result of a finished step (<see cref="PrepResult"/>, <see cref="DeployResult"/>, …); null before it finishes.</summary>
    public StepResult? Result { get; init; }
    public string? Error { get; init; }

    /// <summary>For a manual step: who approved or rejected it, and why.</summary>
    public string? DecidedBy { get; init; }
    public string? Reason { get; init; }
}
