namespace MlOpsOrchestrator.Stores;

/// <summary>
/// One value of a monitoring time series: a drift score of one feature, a metric on labelled rows, a verdict.
/// <see cref="Series"/> names it, e.g. <c>drift.psi.temp</c>, <c>drift.ks.humidity</c>, <c>metric.rmse</c>, <c>verdict.drift</c>.
/// </summary>
public sealed record EvaluationPoint(
    string Pipeline,
    string Model,
    int? ModelVersion,
    string RunId,
    string StepId,
    string Series,
    double Value,
    DateTimeOffset At);
