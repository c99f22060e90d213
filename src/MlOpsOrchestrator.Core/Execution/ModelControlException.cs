namespace MlOpsOrchestrator.Execution;

/// <summary>
/// A request to move a model's alias that cannot be honoured: bad input, exit code 2. Over HTTP an unknown model,
/// version or alias is 404, an invalid request (naming the <see cref="Field"/>) 400, and an alias with nothing to roll
/// back to 409.
/// </summary>
public sealed class ModelControlException(string message, bool notFound = false, string? input = null) : Exception(message)
{
    public bool NotFound => notFound;

    /// <summary>The input the request was refused for (<c>alias</c>, <c>reason</c>); null when it was not the input.</summary>
    public string? Field => input;

    public bool Invalid => input is not null;
}
