namespace MlOpsOrchestrator.Runs;

/// <summary>What a <c>monitor</c> step found: the verdict <c>retrain</c> acts on, and the window and model it judged.</summary>
public sealed record MonitorResult : StepResult
{
    public required MonitorVerdict Verdict { get; init; }

    /// <summary>The rows (or logged requests) in the window.</summary>
    public required long WindowRows { get; init; }

    public required WindowSource WindowSource { get; init; }

    /// <summary>A window of the pipeline's data: its newest timestamp. Null for a window of the prediction log.</summary>
    public DateTimeOffset? WindowEnd { get; init; }

    /// <summary>The production version watched.</summary>
    public required int ModelVersion { get; init; }

    /// <summary>The feature with the highest score under the step's method, and that score; null when no feature could be scored.</summary>
    public string? WorstFeature { get; init; }

    public double? WorstScore { get; init; }
}
