namespace MlOpsOrchestrator.Evaluations;

/// <summary>
/// One metric on one slice for two versions: <see cref="Change"/> is <c>(b − a) / |a|</c> and <see cref="Worsening"/>
/// the same change signed so that positive means version b is worse (a lower-is-better metric rising, a
/// higher-is-better one falling). Null when either value is missing.
/// </summary>
public sealed record SliceComparison(
    string Column, string Slice, string Metric, double? A, int? RowsA, double? B, int? RowsB, double? Change, double? Worsening);
