using MlOpsOrchestrator.Catalogs;

namespace MlOpsOrchestrator.Runs;

/// <summary>What a <c>train</c> step made: the task and trainer of its model, what it measured the model on, and in an incremental run how.</summary>
public sealed record TrainResult : StepResult
{
    public required MlTask Task { get; init; }
    public required string Trainer { get; init; }

    /// <summary>
    /// The <c>data_prep</c> step whose test set the step's metrics were measured on. An <c>evaluate</c> step taking its
    /// test set from the same step reuses them instead of scoring the same rows with the same model again.
    /// </summary>
    public string? MeasuredOn { get; init; }

    /// <summary>Incremental runs only (null otherwise): how the model was made, and the rows actually trained and measured on.</summary>
    public TrainingStrategy? Strategy { get; init; }

    public long? TrainRows { get; init; }
    public long? TestRows { get; init; }

    /// <summary>
    /// A window model: the lineage holdout (the artifact path recorded as the production version's <c>holdout</c>) whose
    /// rows evaluate judges on and the window therefore left out, so evaluate may judge it on them; null when none.
    /// </summary>
    public string? HoldoutExcluded { get; init; }

    /// <summary>The production version a warm-started model continued; null for a model trained from scratch.</summary>
    public ModelRef? WarmStartFrom { get; init; }
}
