namespace MlOpsOrchestrator.Specs;

/// <summary>
/// What a <c>monitor</c> step holds its window against (<c>reference:</c>). Seasonal data is not drift: a fortnight of
/// winter held against a whole year of training data differs on every seasonal feature, every winter.
/// </summary>
public enum DriftReference
{
    /// <summary>The production model's training data profile (the default).</summary>
    Training,

    /// <summary>The window of data just before the monitored one, of the same length.</summary>
    PreviousWindow,

    /// <summary>The same weeks of earlier years in the data (falls back to the training data when there are none).</summary>
    SamePeriod,
}
