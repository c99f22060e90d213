namespace MlOpsOrchestrator.Runs;

/// <summary>Where a <c>monitor</c> step's window came from.</summary>
public enum WindowSource
{
    /// <summary>The pipeline's source, cut by its timestamp column.</summary>
    Data,

    /// <summary>The prediction log's requests.</summary>
    Predictions,
}
