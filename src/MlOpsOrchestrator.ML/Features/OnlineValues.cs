namespace MlOpsOrchestrator.ML.Features;

/// <summary>
/// One entity's features of a view computed from the online store at a time: each asked feature's value (null when
/// missing), how many of the entity's events the store held up to that time, and the time of the newest of them
/// (null when none: an unknown entity, or one whose events all aged out).
/// </summary>
public sealed record OnlineValues(IReadOnlyDictionary<string, double?> Values, int Events, DateTimeOffset? NewestEvent);
