using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Tests.Steps.Support;

/// <summary>The evaluation store's contract in memory (replace per run and step); the SQL stores are tested on both engines.</summary>
internal sealed class InMemoryModelEvaluationStore : IModelEvaluationStore
{
    private readonly Lock _lock = new();
    private readonly List<ModelEvaluation> _rows = [];

    public IReadOnlyList<ModelEvaluation> All
    {
        get
        {
            lock (_lock)
            {
                return [.. _rows];
            }
        }
    }

    public Task ReplaceAsync(string runId, string stepId, IReadOnlyList<ModelEvaluation> evaluations, CancellationToken ct)
    {
        lock (_lock)
        {
            _rows.RemoveAll(r => r.RunId == runId && r.StepId == stepId);
            _rows.AddRange(evaluations);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ModelEvaluation>> ReadAsync(string model, CancellationToken ct)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<ModelEvaluation>>([.. _rows.Where(r => r.Model == model)]);
        }
    }
}
