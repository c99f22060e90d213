using MlOpsOrchestrator.ML.Steps.DataPrep;
namespace MlOpsOrchestrator.ML.Monitoring;

/// <summary>
/// What a <c>monitor</c> step records, by name: its outputs (read by <c>retrain</c> and shown in <c>mlops show</c>), its
/// metrics, and the series it appends to the monitoring store (<see cref="Stores.EvaluationPoint.Series"/>).
/// </summary>
public static class MonitorOutputs
{
    /// <summary>Output: <see cref="Drift"/>, <see cref="Performance"/> or <see cref="Ok"/>.</summary>
    public const string Verdict = "verdict";

    /// <summary>Some feature's score is above the threshold (wins over <see cref="Performance"/> when both hold).</summary>
    public const string Drift = "drift";

    /// <summary>The metric on the labelled rows is worse than recorded by more than <c>max_increase</c>.</summary>
    public const string Performance = "performance";

    public const string Ok = "ok";

    /// <summary>Outputs: the feature with the highest score under the step's method, and that score.</summary>
    public const string WorstFeature = "worst_feature";
    public const string WorstScore = "worst_score";

    /// <summary>Output: the rows (or logged requests) in the window.</summary>
    public const string WindowRows = "window_rows";

    /// <summary>Output: <c>data</c> (the pipeline's source) or <c>predictions</c> (the prediction log).</summary>
    public const string WindowSource = "window_source";

    /// <summary>Output of a window of the pipeline's data: its newest timestamp (ISO 8601, UTC).</summary>
    public const string WindowEnd = "window_end";

    /// <summary>
    /// Output: what the window was compared with: <c>training</c>, <c>previous_window</c> or <c>same_period</c> (the one
    /// used: a reference the data cannot give falls back to <c>training</c>, and the message says so).
    /// </summary>
    public const string Reference = "reference";

    /// <summary>
    /// Output, <c>true</c> when a drift was found but the production version was trained from scratch on data through
    /// the newest row monitored, so it has seen the shift (the verdict is then <see cref="Ok"/>).
    /// </summary>
    public const string Answered = "drift_answered";

    /// <summary>Output: the production version watched.</summary>
    public const string ModelVersion = "model_version";

    /// <summary>Metric: the worst feature's score.</summary>
    public const string DriftMax = "drift_max";

    /// <summary>Series prefixes and names: <c>drift.psi.temp</c>, <c>drift.ks.temp</c>, <c>metric.rmse</c>, <c>verdict.drift</c>, <c>window.rows</c>.</summary>
    public const string PsiSeries = "drift.psi.";
    public const string KsSeries = "drift.ks.";
    public const string MetricSeries = "metric.";
    public const string DriftVerdictSeries = "verdict.drift";
    public const string PerformanceVerdictSeries = "verdict.performance";
    public const string WindowRowsSeries = "window.rows";
}
