namespace MlOpsOrchestrator.ML.Features;

/// <summary>
/// A value an event carries for the features: a column read as a number, or (for <c>distinct_count</c>) as a value
/// identity, so one column can feed both a mean and a distinct count.
/// </summary>
internal sealed record EventSlot(string Column, bool Distinct);
