namespace MlOpsOrchestrator.Execution;

/// <summary>A request about a run that cannot be honoured (unknown run or step, wrong state): bad input, exit code 2, HTTP 400/404.</summary>
public sealed class RunControlException(string message, bool notFound = false) : Exception(message)
{
    public bool NotFound => notFound;
}
