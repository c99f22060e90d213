namespace MlOpsOrchestrator.Stores;

/// <summary>
/// Every evaluation a train or evaluate step made: each model's metrics on the whole evaluation set and on every slice,
/// queryable by model afterwards (<c>mlops evals</c>, the API, the dashboard's version comparison). Implementations:
/// SQLite and PostgreSQL.
/// </summary>
public interface IModelEvaluationStore
{
    /// <summary>
    /// Replaces what step <paramref name="stepId"/> of run <paramref name="runId"/> recorded with
    /// <paramref name="evaluations"/>, in one transaction: a step executed again after a crash or a retry leaves one
    /// set of numbers, its last, never two.
    /// </summary>
    /// <exception cref="ArgumentException">An evaluation belongs to another run or step, or lacks a model, metric or role.</exception>
    Task ReplaceAsync(string runId, string stepId, IReadOnlyList<ModelEvaluation> evaluations, CancellationToken ct);

    /// <summary>Every evaluation of <paramref name="model"/>, oldest first, in the order each step wrote them.</summary>
    Task<IReadOnlyList<ModelEvaluation>> ReadAsync(string model, CancellationToken ct);
}
