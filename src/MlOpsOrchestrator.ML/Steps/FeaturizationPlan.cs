using Microsoft.ML;
using Microsoft.ML.Data;
using MlOpsOrchestrator.Execution;

namespace MlOpsOrchestrator.ML.Steps;

/// <summary>What <see cref="Featurizer"/> decided for one train step.</summary>
/// <param name="Features">Raw feature columns → the <c>Features</c> vector; it is saved in the model zip.</param>
/// <param name="FeatureColumns">The raw columns the model reads, in schema order.</param>
/// <param name="ModelSchema">
/// The dataset schema as the model sees it: features the model does not use are marked ignored and a multiclass
/// label's classes are filled in; serving and evaluation read this one.
/// </param>
/// <param name="Normalized">True when the trainer gets min-max normalized features (linear trainers).</param>
internal sealed record FeaturizationPlan(
    EstimatorChain<ITransformer> Features,
    IReadOnlyList<string> FeatureColumns,
    DatasetSchema ModelSchema,
    bool Normalized);
