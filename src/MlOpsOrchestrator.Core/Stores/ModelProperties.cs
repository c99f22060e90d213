namespace MlOpsOrchestrator.Stores;

/// <summary>
/// The names of a registered version's <see cref="ModelVersion.Properties"/>: what <c>deploy</c> records with a model
/// so serving and <c>monitor</c> can use it without the run that made it.
/// </summary>
public static class ModelProperties
{
    /// <summary>Artifact paths of the model's schema and of the data profile drift is judged against.</summary>
    public const string Schema = "schema";
    public const string Profile = "profile";

    /// <summary>The task word and the trainer of the model.</summary>
    public const string Task = "task";
    public const string Trainer = "trainer";

    /// <summary>The train step of the run that made the model: ties the evaluations measured before registration to the version.</summary>
    public const string TrainedBy = "trained_by";

    /// <summary>
    /// A version made by continuing another (warm start): the version trained from scratch that its drift profile and
    /// performance reference come from. Absent on versions trained from scratch (their own).
    /// </summary>
    public const string ReferenceVersion = "reference_version";

    /// <summary>The newest timestamp in the data the version was trained on (the data_prep watermark).</summary>
    public const string DataThrough = "data_through";

    /// <summary>
    /// The lineage's holdout: the test rows (<c>.idv</c> path) of the full run that trained the version a chain of
    /// incremental versions goes back to, and the first and last timestamp of that run's data. An incremental candidate
    /// is judged on the newest part of them as well as on its slice's test rows.
    /// </summary>
    public const string Holdout = "holdout";
    public const string HoldoutFrom = "holdout_from";
    public const string HoldoutThrough = "holdout_through";
}
