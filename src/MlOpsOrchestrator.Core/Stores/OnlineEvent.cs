namespace MlOpsOrchestrator.Stores;

/// <summary>
/// One event of a feature view in the online store: the entity key (several key columns joined by U+001F), the event
/// time in UTC ticks, and the values it carries for the view's features (NaN: missing), in the view's slot order.
/// </summary>
public sealed record OnlineEvent(string Entity, long Ticks, ReadOnlyMemory<double> Values);
