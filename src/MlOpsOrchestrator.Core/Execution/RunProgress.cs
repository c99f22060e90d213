namespace MlOpsOrchestrator.Execution;

/// <summary>One line of live progress of a run: which step, what happened. The CLI prints these on stderr.</summary>
public sealed record RunProgress(string RunId, string StepId, string Message)
{
    /// <summary>
    /// The step's last line (<c>succeeded in 1.2s: …</c>). The executor also logs the step's end itself, so a host that
    /// logs progress skips this one rather than say the end twice.
    /// </summary>
    public bool Ends { get; init; }
}
