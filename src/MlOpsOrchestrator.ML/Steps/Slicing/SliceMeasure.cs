namespace MlOpsOrchestrator.ML.Steps.Slicing;

/// <summary>
/// The candidate's and production's metrics on one slice's rows. A metric that cannot be computed on the slice (an
/// AUC of a slice holding one class) is absent; <paramref name="Production"/> is null without a production model to compare.
/// </summary>
internal sealed record SliceMeasure(
    string Column, string Slice, int Rows, IReadOnlyDictionary<string, double> Candidate, IReadOnlyDictionary<string, double>? Production);
