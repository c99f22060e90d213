using Microsoft.ML;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Steps;

/// <summary>
/// The production model a warm start continues: its fitted featurization (every transformer before the predictor,
/// normalizer and one-hot dictionaries included), the predictor's linear parameters, what follows the predictor (a
/// multiclass model's key-to-class mapping) and the schema it was trained with.
/// </summary>
/// <param name="Version">The registered version, named in messages and outputs.</param>
/// <param name="Schema">The production model's view of the dataset; its class order is the label key mapping reused.</param>
/// <param name="Featurization">The production chain before its predictor, reused as it is (never refitted).</param>
/// <param name="Parameters">
/// The predictor's parameters in the type the trainer's <c>Fit(IDataView, …)</c> overload takes:
/// <c>LinearModelParameters</c> (binary and regression) or <c>MaximumEntropyModelParameters</c> (multiclass).
/// </param>
/// <param name="Tail">The production chain after its predictor (multiclass: the predicted key back to the class name).</param>
/// <param name="TrainingRows">
/// The rows of the training profile recorded with the version (what <see cref="WarmStartPasses"/> scales by), or null.
/// </param>
internal sealed record WarmStartBase(
    ModelVersion Version,
    DatasetSchema Schema,
    IReadOnlyList<ITransformer> Featurization,
    object Parameters,
    IReadOnlyList<ITransformer> Tail,
    int? TrainingRows)
{
    /// <summary><c>churn v3</c>.</summary>
    public string Name => $"{Version.Name} v{Version.Version}";

    /// <summary>
    /// The version whose training data <see cref="TrainingRows"/> counts: the version itself when trained from scratch,
    /// else the version it continues (<c>churn v1</c>), whose profile it carries.
    /// </summary>
    public string TrainedFrom => Version.Properties.TryGetValue(ModelProperties.ReferenceVersion, out var root)
        ? $"{Version.Name} v{root}"
        : Name;

    /// <summary>
    /// The schema the continued model is trained, saved and served with: this step's view of the new rows, with the
    /// production model's classes so that class <c>i</c> stays key <c>i</c>.
    /// </summary>
    public DatasetSchema ModelSchema(DatasetSchema plan, MlTask task) =>
        task == MlTask.Multiclass ? plan with { Classes = Schema.Classes } : plan;
}
