namespace MlOpsOrchestrator.Planning;

/// <summary>
/// What <c>mlops plan</c> and <c>GET /api/pipelines/{name}</c> show: the order of steps, what may run in parallel,
/// when each trigger fires next, and the maturity level with what blocks each higher one.
/// </summary>
public sealed record PipelinePlan(
    string Pipeline,
    string Version,
    int Level,
    string LevelName,
    IReadOnlyList<string> LevelReasons,
    IReadOnlyList<string> LevelHeld,
    IReadOnlyList<string> Order,
    IReadOnlyList<IReadOnlyList<string>> ParallelGroups,
    IReadOnlyList<PlannedStep> Steps,
    string Timezone,
    IReadOnlyList<PlannedTrigger> Triggers)
{
    /// <summary>The feature views <c>data.features</c> names, in order of first use.</summary>
    public IReadOnlyList<PlannedFeatureView> FeatureViews { get; init; } = [];
}
