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

    /// <summary>What the window was compared with: <c>training</c>, <c>previous_window</c> or <c>same_period</c> (the one used).</summary>
    public string? Reference { get; init; }

    /// <summary>
    /// A drift was found, but the production version was trained from scratch on data through the newest row monitored,
    /// so it has seen the shift: the verdict is then ok until newer rows arrive.
    /// </summary>
    public bool DriftAnswered { get; init; }

    /// <summary>
    /// The feature view columns (<c>view__feature</c>) whose served values are skewed from training; null when the model
    /// holds no view features or no request was logged. Skew never changes <see cref="Verdict"/>: a retrain learns the
    /// training features again and would not fix how serving computes them.
    /// </summary>
    public IReadOnlyList<string>? SkewedFeatures { get; init; }

    /// <summary>How many view features the skew check scored; null when it did not run.</summary>
    public int? SkewChecked { get; init; }
}
