namespace MlOpsOrchestrator.Runs;

/// <summary>A <c>monitor</c> step's verdict; <c>retrain</c> retrains on <see cref="Drift"/> and <see cref="Performance"/>.</summary>
public enum MonitorVerdict
{
    Ok,

    /// <summary>Some feature's score is above the threshold (wins over <see cref="Performance"/> when both hold).</summary>
    Drift,

    /// <summary>The metric on the labelled rows is worse than recorded by more than <c>max_increase</c>.</summary>
    Performance,
}
