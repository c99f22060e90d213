namespace MlOpsOrchestrator.Evaluations;

/// <summary>
/// A query of the evaluation store that cannot be answered: an unknown model or version (<see cref="NotFound"/>: 404
/// over HTTP) or a bad argument (400); exit code 2 on the command line.
/// </summary>
public sealed class EvaluationQueryException(string message, bool notFound) : Exception(message)
{
    public bool NotFound => notFound;
}
