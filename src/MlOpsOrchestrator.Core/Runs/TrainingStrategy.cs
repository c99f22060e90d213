namespace MlOpsOrchestrator.Runs;

/// <summary>How an incremental run's train step made its model.</summary>
public enum TrainingStrategy
{
    /// <summary>From scratch on the new rows.</summary>
    Full,

    /// <summary>Continuing the production model on the new rows.</summary>
    WarmStart,

    /// <summary>From scratch on the newest window of data.</summary>
    Window,
}
