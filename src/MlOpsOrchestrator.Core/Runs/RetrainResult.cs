namespace MlOpsOrchestrator.Runs;

/// <summary>A <c>retrain</c> step that started (or had already started) a run; one that started nothing has only a note.</summary>
public sealed record RetrainResult : StepResult
{
    public required string StartedRun { get; init; }
}
