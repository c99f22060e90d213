namespace MlOpsOrchestrator.ML.Replay;

/// <summary>
/// One prequentially scored row: regression <c>Label</c> and <c>Score</c>; binary the truth as 1/0 in
/// <c>Label</c>, the probability (else the score) in <c>Score</c>, and the classes as "1"/"0"; multiclass the classes.
/// </summary>
public readonly record struct ScoredRow(double Label, double Score, string? Predicted, string? Actual);
