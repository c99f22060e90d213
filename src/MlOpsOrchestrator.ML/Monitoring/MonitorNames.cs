namespace MlOpsOrchestrator.ML.Monitoring;

/// <summary>
/// The names under which a <c>monitor</c> step records its metrics and the series it appends to the monitoring store
/// (<see cref="Stores.EvaluationPoint.Series"/>). What it hands to <c>retrain</c> is its <see cref="Runs.MonitorResult"/>.
/// </summary>
public static class MonitorNames
{
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
