using System.Diagnostics.Metrics;

namespace MlOpsOrchestrator.Telemetry;

/// <summary>
/// One reading of the state the observable gauges report, taken from the stores at once so that a scrape sees one
/// consistent picture: runs waiting, the metrics of aliased model versions, the latest drift scores.
/// </summary>
public sealed record TelemetryReadings
{
    /// <summary><c>mlops_runs_waiting{reason}</c>.</summary>
    public IReadOnlyList<Measurement<double>> Waiting { get; init; } = [];

    /// <summary><c>mlops_model_metric{model,version,alias,metric}</c>.</summary>
    public IReadOnlyList<Measurement<double>> ModelMetrics { get; init; } = [];

    /// <summary><c>mlops_drift_score{model,column,method}</c>.</summary>
    public IReadOnlyList<Measurement<double>> DriftScores { get; init; } = [];

    public DateTimeOffset ReadAt { get; init; }
}
