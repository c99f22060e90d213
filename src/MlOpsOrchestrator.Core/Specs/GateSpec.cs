namespace MlOpsOrchestrator.Specs;

/// <summary>One gate of an <c>evaluate</c> step: <c>metric: { min | max | max_increase | max_decrease: value }</c>.</summary>
public sealed record GateSpec(string Metric, GateKind Kind, double Value, SourceMark Mark);
