namespace MlOpsOrchestrator.ML.Features;

/// <summary>
/// How fresh values read from the online store are: when the view was last refreshed, the newest event time it had
/// then (its watermark), and the newest event of the entity that was used (null: none).
/// </summary>
public sealed record OnlineFreshness(DateTimeOffset RefreshedAt, DateTimeOffset? Watermark, DateTimeOffset? NewestEvent);
