namespace MlOpsOrchestrator.Planning;

/// <summary>A step as planned: its kind in YAML words, its needs and whether a human must act.</summary>
public sealed record PlannedStep(string Id, string Kind, IReadOnlyList<string> Needs, bool Automated);
