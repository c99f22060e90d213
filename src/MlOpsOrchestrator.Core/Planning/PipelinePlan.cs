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
    IReadOnlyList<PlannedTrigger> Triggers);

/// <summary>A step as planned: its kind in YAML words, its needs and whether a human must act.</summary>
public sealed record PlannedStep(string Id, string Kind, IReadOnlyList<string> Needs, bool Automated);

/// <summary>A trigger with its next fire times (UTC); <see cref="On"/> is set for event triggers, which have none.</summary>
public sealed record PlannedTrigger(string Id, string? Cron, string? On, string Mode, IReadOnlyList<string>? Steps, IReadOnlyList<DateTimeOffset> Next);
