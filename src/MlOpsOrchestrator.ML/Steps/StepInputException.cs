namespace MlOpsOrchestrator.ML.Steps;

/// <summary>
/// Something a step needs is missing or unusable (an upstream artifact, a column, a model). Executors turn it into a
/// failed <see cref="Execution.StepOutcome"/> with this message, never into a crash.
/// </summary>
internal sealed class StepInputException : Exception
{
    public StepInputException(string message)
        : base(message)
    {
    }

    public StepInputException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
