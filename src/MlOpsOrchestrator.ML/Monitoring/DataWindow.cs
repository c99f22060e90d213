using Microsoft.ML;

namespace MlOpsOrchestrator.ML.Monitoring;

/// <summary>
/// The newest window of a pipeline's data: the feature values for drift and, for performance, the rows that carry a
/// label as a data view typed like the prepared data (see <see cref="Execution.ArtifactNames"/>), ready for the model.
/// </summary>
internal sealed record DataWindow(WindowSample Sample, IDataView? Labelled, int LabelledRows)
{
    /// <summary>Why <see cref="Labelled"/> is null or has fewer rows than the window, when there is a reason to say.</summary>
    public string? LabelNote { get; init; }
}
