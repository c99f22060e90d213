namespace MlOpsOrchestrator.Execution;

/// <summary>One line of live progress of a run: which step, what happened. The CLI prints these on stderr.</summary>
public sealed record RunProgress(string RunId, string StepId, string Message);
