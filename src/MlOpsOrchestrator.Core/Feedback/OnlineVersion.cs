namespace MlOpsOrchestrator.Feedback;

/// <summary>
/// How one version answered under one alias over a window, judged by the labels fed back.
/// </summary>
/// <param name="Alias">The alias that answered (<c>production</c>, <c>canary</c>, <c>shadow</c>, ...).</param>
/// <param name="Version">The version under that alias when it answered.</param>
/// <param name="Shadow">True when these answers were logged and never returned.</param>
/// <param name="Requests">Answers logged in the window.</param>
/// <param name="TrafficShare">
/// <see cref="Requests"/> over the requests answered in the window (shadow answers excluded from the denominator): the
/// share of traffic a returned alias served, or for a shadow the share of requests it scored alongside.
/// </param>
/// <param name="Labelled">Answers that have a usable label.</param>
/// <param name="Unusable">Answers with a label that cannot be compared with them (text for a regression, a missing prediction).</param>
/// <param name="Metrics">The task's metrics over the labelled answers (regression: <c>rmse</c>, <c>mae</c>; binary: <c>accuracy</c>; multiclass: <c>micro_accuracy</c>); empty without labels.</param>
/// <param name="LatencyP50">Median latency in milliseconds, null without answers.</param>
/// <param name="LatencyP99">99th percentile latency in milliseconds (nearest rank), null without answers.</param>
public sealed record OnlineVersion(
    string Alias,
    int Version,
    bool Shadow,
    long Requests,
    double TrafficShare,
    long Labelled,
    long Unusable,
    IReadOnlyDictionary<string, double> Metrics,
    double? LatencyP50,
    double? LatencyP99);
