using MlOpsOrchestrator.ML.Data.Ingestion;
namespace MlOpsOrchestrator.ML.Serving;

/// <summary>
/// The input to a prediction cannot be scored: not an object or array of objects, an unknown field, a missing
/// required field, or a value of the wrong type. The message names every problem (field and, for arrays, the item
/// index) and what would be valid; hosts return it as a 400 / exit code 2.
/// </summary>
public sealed class ScoringInputException : Exception
{
    public ScoringInputException()
        : this([])
    {
    }

    public ScoringInputException(string message)
        : this([message])
    {
    }

    public ScoringInputException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    public ScoringInputException(IReadOnlyList<string> problems)
        : base(problems.Count == 0 ? "The input cannot be scored." : string.Join("; ", problems))
    {
        Problems = problems;
    }

    /// <summary>Each problem on its own, e.g. <c>[2].temp: expected a number, got a string</c>.</summary>
    public IReadOnlyList<string> Problems { get; }
}
