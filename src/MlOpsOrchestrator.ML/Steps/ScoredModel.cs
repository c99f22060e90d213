using Microsoft.ML;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Execution;

namespace MlOpsOrchestrator.ML.Steps;

/// <summary>A saved model with the schema it was trained on, ready to be measured on a test set.</summary>
internal sealed record ScoredModel(ITransformer Model, DatasetSchema Schema, MlTask Task)
{
    /// <summary>The task's metrics of this model on <paramref name="test"/> (raw prepared rows, label included).</summary>
    public IReadOnlyDictionary<string, double> Measure(MLContext ml, IDataView test)
    {
        var (labelled, labelColumn) = LabelPreparation.Apply(ml, Schema, Task, test);
        var scored = ModelFile.ForEvaluation(Model).Transform(labelled);
        return ModelMetrics.Compute(ml, Task, scored, labelColumn);
    }
}
