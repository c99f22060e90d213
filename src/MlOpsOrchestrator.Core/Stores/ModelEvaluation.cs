namespace MlOpsOrchestrator.Stores;

/// <summary>
/// One number of the evaluation store: what <see cref="Metric"/> a model scored on one slice of one dataset, measured
/// by which step of which run. <see cref="SliceColumn"/> and <see cref="SliceValue"/> are <see cref="Overall"/> for the
/// whole evaluation set. A candidate is not a registered version yet when it is measured: its <see cref="Version"/> is
/// null and <see cref="TrainedBy"/> names the train step that made it, which the registry's version records
/// (<see cref="ModelProperties.TrainedBy"/>) once deploy registers it.
/// </summary>
public sealed record ModelEvaluation
{
    /// <summary>The slice column and value of a row about the whole evaluation set.</summary>
    public const string Overall = "*";

    public const string CandidateRole = "candidate";
    public const string ProductionRole = "production";

    public required string Model { get; init; }

    /// <summary>The registered version scored; null for a candidate measured before it was registered.</summary>
    public int? Version { get; init; }

    public required string RunId { get; init; }

    /// <summary>The step that measured it (a train step's own test metrics, or an evaluate step).</summary>
    public required string StepId { get; init; }

    /// <summary>For a candidate: the train step whose model was scored; null for production.</summary>
    public string? TrainedBy { get; init; }

    /// <summary>The hash of the data the evaluation rows were prepared from (the data_prep step's hash).</summary>
    public string? DataHash { get; init; }

    public string SliceColumn { get; init; } = Overall;
    public string SliceValue { get; init; } = Overall;
    public required string Metric { get; init; }
    public required double Value { get; init; }

    /// <summary>How many evaluation rows the value was measured on.</summary>
    public required int Rows { get; init; }

    /// <summary><see cref="CandidateRole"/> or <see cref="ProductionRole"/>: which model of the step was scored.</summary>
    public required string Role { get; init; }

    public required DateTimeOffset At { get; init; }

    public bool IsOverall => SliceColumn == Overall;
}
