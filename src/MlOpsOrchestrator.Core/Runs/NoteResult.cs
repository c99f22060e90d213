namespace MlOpsOrchestrator.Runs;

/// <summary>A step that finished with nothing for later steps but its note: skipped, or a retrain that started nothing.</summary>
public sealed record NoteResult : StepResult;
