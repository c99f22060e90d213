namespace MlOpsOrchestrator.Runs;

/// <summary>
/// What a finished step hands to later steps and to the run, typed per step kind and read once: a step reads its
/// upstream's result with a pattern (<c>record.Result is EvaluateResult { Chosen: var id }</c>), never by parsing text.
/// Persisted as versioned JSON (<see cref="StepResultJson"/>); the string view the API and CLI show as <c>outputs</c>
/// is derived from it (<see cref="StepOutputs"/>).
/// </summary>
/// <remarks>
/// To add a field: add an optional property (a stored result without it reads as null), write it in
/// <see cref="StepOutputs"/> when it should show in <c>outputs</c>. A change old readers cannot ignore (a field
/// renamed or retyped) raises <see cref="StepResultJson.Version"/>.
/// </remarks>
public abstract record StepResult
{
    /// <summary>
    /// The step's own summary line (shown as <c>note</c>), set by the run executor from the step's message after
    /// redaction: a step never sets it itself, so nothing it or a driver said can carry a secret into the record.
    /// </summary>
    public string? Note { get; init; }
}
