using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Evaluations;

/// <summary>
/// The one way a front end (<c>mlops evals</c>, <c>GET /api/models/{name}/evaluations</c>, the dashboard's model page)
/// reads the evaluation store, so the rules are the same everywhere: a candidate's numbers belong to the version deploy
/// registered it as (by its run and train step), a model is known when the registry or the store has it, a version
/// must exist. Refusals throw <see cref="EvaluationQueryException"/>.
/// </summary>
public interface IEvaluationService
{
    /// <summary>
    /// The evaluations of <paramref name="model"/>, oldest first, each with its version where it has one; only those of
    /// <paramref name="version"/> and of slice column <paramref name="sliceColumn"/> (<c>*</c>: the whole set) when given.
    /// </summary>
    Task<IReadOnlyList<ModelEvaluation>> ListAsync(string model, int? version, string? sliceColumn, CancellationToken ct);

    /// <summary>Versions <paramref name="a"/> and <paramref name="b"/> of <paramref name="model"/> slice by slice, worst change of b first.</summary>
    Task<VersionComparison> CompareAsync(string model, int a, int b, CancellationToken ct);

    static IEvaluationService Create(IModelRegistry registry, IModelEvaluationStore store) => new EvaluationService(registry, store);
}
