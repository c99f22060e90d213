using MlOpsOrchestrator.Runs;

namespace MlOpsOrchestrator.Execution;

/// <summary>What a step produced; the executor persists it before moving on.</summary>
public sealed record StepOutcome
{
    public required StepStatus Status { get; init; }
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Artifact name → path relative to the artifact root.</summary>
    public IReadOnlyDictionary<string, string> Artifacts { get; init; } = new Dictionary<string, string>();

    /// <summary>What later steps and the run need from this one; the run executor sets its note from <see cref="Message"/>.</summary>
    public StepResult? Result { get; init; }

    /// <summary>For a failure, what went wrong and how to fix it; for a success, an optional note.</summary>
    public string? Message { get; init; }

    public static StepOutcome Failed(string message) => new() { Status = StepStatus.Failed, Message = message };
}
