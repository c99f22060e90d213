namespace MlOpsOrchestrator.Execution;

/// <summary>
/// A feature of a feature view that a prepared dataset (and so a model) holds as column <see cref="Column"/>: what a
/// caller of the model must supply, and which definition of the view (<see cref="ViewHash"/>) computed it.
/// </summary>
public sealed record DatasetFeature(string View, string Feature, string Column, string ViewHash);
