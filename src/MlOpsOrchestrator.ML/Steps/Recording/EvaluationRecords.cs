using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Steps.Slicing;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Steps.Recording;

/// <summary>
/// What train and evaluate steps write to the evaluation store (<see cref="IModelEvaluationStore"/>): the same numbers
/// their outcome carries, one row per model, slice and metric. The model is named as the deploy step downstream will
/// register it (its <c>model</c>, else the pipeline's name).
/// </summary>
internal static class EvaluationRecords
{
    /// <summary>The registry name of the model a step's candidates become: the first deploy step downstream's <c>model</c>, else the pipeline's name.</summary>
    public static string ModelOf(PipelineSpec spec, string stepId)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { stepId };
        var queue = new Queue<string>([stepId]);
        while (queue.TryDequeue(out var id))
        {
            foreach (var next in spec.Steps.Where(s => s.Needs.Contains(id, StringComparer.Ordinal) && seen.Add(s.Id)))
            {
                if (next is DeployStep deploy)
                {
                    return deploy.Model;
                }

                queue.Enqueue(next.Id);
            }
        }

        return spec.Name;
    }

    /// <summary>A train step's own test metrics, overall.</summary>
    public static IReadOnlyList<ModelEvaluation> ForTrain(StepContext context, StepRecord prep, IReadOnlyDictionary<string, double> metrics, int rows, DateTimeOffset at)
    {
        var row = Base(context, prep, at) with { TrainedBy = context.Step.Id, Role = ModelEvaluation.CandidateRole };
        return [.. Overall(row, metrics, rows)];
    }

    /// <summary>An evaluate step's numbers: the chosen candidate and production, overall and on every slice.</summary>
    public static IReadOnlyList<ModelEvaluation> ForEvaluate(
        StepContext context, StepRecord prep, string chosen, IReadOnlyDictionary<string, double> candidate, ModelVersion? production,
        IReadOnlyDictionary<string, double>? productionMetrics, int rows, IReadOnlyList<SliceMeasure> slices, DateTimeOffset at)
    {
        var common = Base(context, prep, at);
        var asCandidate = common with { TrainedBy = chosen, Role = ModelEvaluation.CandidateRole };
        var asProduction = common with { Version = production?.Version, Role = ModelEvaluation.ProductionRole };
        var records = new List<ModelEvaluation>(Overall(asCandidate, candidate, rows));
        if (productionMetrics is not null)
        {
            records.AddRange(Overall(asProduction, productionMetrics, rows));
        }

        foreach (var slice in slices)
        {
            records.AddRange(On(asCandidate, slice, slice.Candidate));
            if (productionMetrics is not null && slice.Production is { } sliced)
            {
                records.AddRange(On(asProduction, slice, sliced));
            }
        }

        return records;
    }

    private static ModelEvaluation Base(StepContext context, StepRecord prep, DateTimeOffset at) => new()
    {
        Model = ModelOf(context.Definition.Spec, context.Step.Id),
        RunId = context.Run.RunId,
        StepId = context.Step.Id,
        DataHash = (prep.Result as PrepResult)?.DataHash,
        Metric = "",
        Value = 0,
        Rows = 0,
        Role = ModelEvaluation.CandidateRole,
        At = at,
    };

    private static IEnumerable<ModelEvaluation> Overall(ModelEvaluation row, IReadOnlyDictionary<string, double> metrics, int rows) =>
        metrics.Select(m => row with { Metric = m.Key, Value = m.Value, Rows = rows });

    private static IEnumerable<ModelEvaluation> On(ModelEvaluation row, SliceMeasure slice, IReadOnlyDictionary<string, double> metrics) =>
        metrics.Select(m => row with { SliceColumn = slice.Column, SliceValue = slice.Slice, Metric = m.Key, Value = m.Value, Rows = slice.Rows });
}
