namespace MlOpsOrchestrator.Execution;

/// <summary>
/// One model as an operator scans the list: what serves (<see cref="Production"/>), how good it is and since when.
/// <see cref="PrimaryMetric"/> is the metric that ranks candidates of the model's task; <see cref="Metrics"/> are the
/// production version's (empty without one); <see cref="DeployedAt"/> is when <c>production</c> last moved.
/// </summary>
public sealed record ModelSummary(
    string Name,
    int? Production,
    int LatestVersion,
    string? PrimaryMetric,
    IReadOnlyDictionary<string, double> Metrics,
    DateTimeOffset? DeployedAt);
