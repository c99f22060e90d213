namespace MlOpsOrchestrator.Stores;

/// <summary>
/// What the online store holds of a view: the definition it was materialized with (a changed definition rebuilds it
/// whole), the newest event time materialized (<see cref="Watermark"/>; the next refresh reads only what is newer), what
/// the source was then, when it was refreshed and how many events and entities it keeps.
/// </summary>
public sealed record OnlineViewState
{
    public required string View { get; init; }
    public required string DefinitionHash { get; init; }
    public required string SourceFingerprint { get; init; }

    /// <summary>The newest event time materialized, in UTC ticks; null when no event was.</summary>
    public long? Watermark { get; init; }

    public required DateTimeOffset RefreshedAt { get; init; }
    public long Events { get; init; }
    public long Entities { get; init; }

    /// <summary>Grows by one with every refresh written.</summary>
    public long Generation { get; init; }
}
