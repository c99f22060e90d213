namespace MlOpsOrchestrator.ML.Features;

/// <summary>What writing a training set took: a note per view, the view source rows read, and how many views were reused rather than materialized.</summary>
public sealed record FeatureExport(IReadOnlyList<string> Notes, long SourceRowsRead, int ViewsReused);
