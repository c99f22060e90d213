namespace MlOpsOrchestrator.Stores;

/// <summary>One audited move of an alias: who moved <c>production</c>, when, from which version.</summary>
public sealed record AliasChange(string Name, string Alias, int Version, int? PreviousVersion, string By, string? Reason, DateTimeOffset At);
