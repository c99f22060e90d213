using MlOpsOrchestrator.Runs;

namespace MlOpsOrchestrator.Stores;

/// <summary>
/// Which runs to list, newest first: each filter that is set must match (a run's stored status is one of
/// <see cref="Statuses"/>), and at most <see cref="Limit"/> are returned.
/// </summary>
public sealed record RunQuery
{
    public string? Pipeline { get; init; }
    public string? Trigger { get; init; }
    public IReadOnlyCollection<RunStatus>? Statuses { get; init; }
    public required int Limit { get; init; }
}
