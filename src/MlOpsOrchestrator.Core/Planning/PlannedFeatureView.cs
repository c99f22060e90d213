namespace MlOpsOrchestrator.Planning;

/// <summary>
/// A feature view a pipeline uses: the features it takes, and the view's online refresh schedule with its next fire
/// times (UTC; none when the view is offline only and materialized when a run needs it).
/// </summary>
public sealed record PlannedFeatureView(string View, IReadOnlyList<string> Features, string? Refresh, IReadOnlyList<DateTimeOffset> Next);
