namespace MlOpsOrchestrator.Stores;

/// <summary>One materialization of a view into the online store, written at once by <see cref="IOnlineFeatureStore.WriteAsync"/>.</summary>
public sealed record OnlineRefresh
{
    /// <summary>The view's new state; its counts and generation are the store's to set.</summary>
    public required OnlineViewState State { get; init; }

    /// <summary>The generation read before the refresh began (0: none); another one written since refuses this refresh.</summary>
    public long ExpectedGeneration { get; init; }

    /// <summary>True: the view's events are replaced; false: <see cref="Events"/> are appended.</summary>
    public bool Full { get; init; }

    public required IReadOnlyList<OnlineEvent> Events { get; init; }

    /// <summary>Events at or before this time (UTC ticks) are dropped: no window or ttl can use them any more. Null: keep all.</summary>
    public long? DropAtOrBefore { get; init; }
}
