namespace MlOpsOrchestrator.Stores;

/// <summary>
/// One audited move of an alias: who moved <c>production</c>, when, from which version, and the share of requests the
/// alias answered after the move when it has one (a canary's <see cref="AliasRoute"/>). A withdrawal (the alias
/// removed, <see cref="Removed"/>) names the version the alias pointed at until then as both versions.
/// </summary>
public sealed record AliasChange(
    string Name, string Alias, int Version, int? PreviousVersion, string By, string? Reason, DateTimeOffset At, AliasRoute? Route = null, bool Removed = false);
