namespace MlOpsOrchestrator.Specs;

/// <summary>
/// A decision the product took that someone should hear about, named in <c>notify: on:</c> and in
/// <c>MLOPS_NOTIFY_EVENTS</c> by its YAML word (<c>run_failed</c>, <c>gate_failed</c>, …).
/// </summary>
public enum NotifyEvent
{
    /// <summary>A run ended failed (any step failed, a gate included, or the pipeline no longer loads).</summary>
    RunFailed,

    /// <summary>An evaluate step's gates rejected the candidate, or its safety held the candidate back.</summary>
    GateFailed,

    /// <summary>A monitor step found drift or a performance drop (its verdict is what retrain acts on).</summary>
    DriftFound,

    /// <summary>A manual step is waiting for someone to approve or reject it.</summary>
    WaitingForApproval,

    /// <summary>A deploy step moved the production alias to a new version.</summary>
    ModelDeployed,

    /// <summary>A monitor step found training/serving skew on a feature view feature (never a retrain trigger).</summary>
    SkewFound,
}
