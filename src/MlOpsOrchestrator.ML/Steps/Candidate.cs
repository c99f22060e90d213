using MlOpsOrchestrator.Execution;

namespace MlOpsOrchestrator.ML.Steps;

/// <summary>A train step's model as measured by an <c>evaluate</c> step.</summary>
internal sealed record Candidate(string StepId, string Trainer, DatasetSchema Schema, IReadOnlyDictionary<string, double> Metrics);
