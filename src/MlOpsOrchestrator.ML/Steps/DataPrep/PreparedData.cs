using Microsoft.ML;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Data.Profiling;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Steps.DataPrep;

/// <summary>
/// The output of a <c>data_prep</c> step loaded back for <c>train</c>, <c>evaluate</c> and <c>monitor</c>: the
/// train and test sets as typed <see cref="IDataView"/>s (see <see cref="ArtifactNames"/> for each column's
/// representation) and the <see cref="DatasetSchema"/> that names their roles. An incremental slice without new
/// rows (<see cref="IsEmpty"/>) has no files: check that first.
/// </summary>
public sealed record PreparedData(IDataView Train, IDataView Test, DatasetSchema Schema)
{
    /// <summary>True when the step ran incrementally and found no rows newer than the watermark.</summary>
    public static bool IsEmpty(StepRecord dataPrep)
    {
        ArgumentNullException.ThrowIfNull(dataPrep);
        return dataPrep.Result is PrepResult { Empty: true };
    }

    /// <exception cref="InvalidOperationException">The record has no prepared data (failed, or an empty incremental slice).</exception>
    public static PreparedData Load(MLContext ml, IArtifactStore artifacts, StepRecord dataPrep)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(artifacts);
        ArgumentNullException.ThrowIfNull(dataPrep);
        var schema = LoadSchema(artifacts, dataPrep);
        return new PreparedData(
            ml.Data.LoadFromBinary(artifacts.PathOf(Artifact(dataPrep, ArtifactNames.Train))),
            ml.Data.LoadFromBinary(artifacts.PathOf(Artifact(dataPrep, ArtifactNames.Test))),
            schema);
    }

    public static DatasetSchema LoadSchema(IArtifactStore artifacts, StepRecord dataPrep)
    {
        ArgumentNullException.ThrowIfNull(artifacts);
        ArgumentNullException.ThrowIfNull(dataPrep);
        return DatasetSchemaJson.Deserialize(File.ReadAllText(artifacts.PathOf(Artifact(dataPrep, ArtifactNames.Schema))));
    }

    public static DataProfile LoadProfile(IArtifactStore artifacts, StepRecord dataPrep)
    {
        ArgumentNullException.ThrowIfNull(artifacts);
        ArgumentNullException.ThrowIfNull(dataPrep);
        return DataProfileJson.Deserialize(File.ReadAllText(artifacts.PathOf(Artifact(dataPrep, ArtifactNames.Profile))));
    }

    private static string Artifact(StepRecord record, string name) =>
        record.Artifacts.TryGetValue(name, out var path)
            ? path
            : throw new InvalidOperationException(
                $"Step '{record.StepId}' of run {record.RunId} has no '{name}' artifact (status {StatusNames.Of(record.Status)}" +
                (IsEmpty(record) ? ", an incremental slice without new rows)." : ")."));
}
