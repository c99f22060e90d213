namespace MlOpsOrchestrator.Stores;

/// <summary>One logged answer joined with the label fed back for its prediction id.</summary>
public sealed record LabelledPrediction(string Alias, int Version, string PredictionJson, string Label);
