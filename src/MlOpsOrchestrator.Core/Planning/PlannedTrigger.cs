namespace MlOpsOrchestrator.Planning;

/// <summary>A trigger with its next fire times (UTC); <see cref="On"/> is set for event triggers, which have none.</summary>
public sealed record PlannedTrigger(string Id, string? Cron, string? On, string Mode, IReadOnlyList<string>? Steps, IReadOnlyList<DateTimeOffset> Next);
