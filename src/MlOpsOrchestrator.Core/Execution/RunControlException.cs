namespace MlOpsOrchestrator.Execution;

/// <summary>
/// A request about a run that cannot be honoured: bad input, exit code 2. Over HTTP an unknown run or step is 404,
/// an invalid request (no reason, an unknown trigger, a malformed run parameter) 400, and a run or step in the wrong
/// state 409.
/// </summary>
public sealed class RunControlException(string message, bool notFound = false, bool invalid = false, string? parameter = null) : Exception(message)
{
    public bool NotFound => notFound;

    /// <summary>The request itself is wrong (a missing or too long reason, an unknown trigger), whatever the run's state.</summary>
    public bool Invalid => invalid;

    /// <summary>The run parameter the request was refused for, if that was the reason: a front end names where it came from (<c>--param</c>).</summary>
    public string? Parameter => parameter;
}
