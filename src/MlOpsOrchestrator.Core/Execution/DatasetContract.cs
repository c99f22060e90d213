namespace MlOpsOrchestrator.Execution;

/// <summary>
/// The names by which steps hand data to each other. <c>data_prep</c> writes the train and test sets as ML.NET binary
/// files (<c>.idv</c>) with typed columns, the <see cref="DatasetSchema"/> as JSON and the data profile; <c>train</c>,
/// <c>evaluate</c> and <c>monitor</c> read them from the upstream step's record.
/// Column representation in the <c>.idv</c> files, named exactly as in the data: <c>float</c> and <c>int</c> as
/// Single (missing = NaN, for <c>missing: mean|zero</c>, imputed inside the model so serving does the same);
/// <c>boolean</c> as Boolean; <c>categorical</c> and <c>text</c> as String (missing = empty); <c>datetime</c> as
/// DateTime. The label: Single for regression, Boolean for binary, String (the class name) for multiclass.
/// </summary>
public static class DatasetContract
{
    /// <summary>Artifact names of a <c>data_prep</c> step.</summary>
    public const string TrainArtifact = "train";
    public const string TestArtifact = "test";
    public const string SchemaArtifact = "schema";
    public const string ProfileArtifact = "profile";

    /// <summary>Output names of a <c>data_prep</c> step.</summary>
    public const string RowsOutput = "rows";
    public const string TrainRowsOutput = "train_rows";
    public const string TestRowsOutput = "test_rows";
    public const string DataHashOutput = "data_hash";

    /// <summary>The newest timestamp in the consumed rows (ISO 8601 UTC), the watermark the run advances on success.</summary>
    public const string WatermarkOutput = "watermark";

    /// <summary>The oldest timestamp in the consumed rows (ISO 8601 UTC): with the watermark, the range a run says it consumed.</summary>
    public const string FirstOutput = "first";

    /// <summary>
    /// <c>full</c> when an incremental run's data_prep prepared every row because there was nothing usable to continue
    /// (no production model yet, its files missing, another task or trainer); the steps after it then act as in a full run.
    /// </summary>
    public const string PreparedAsOutput = "prepared_as";

    /// <summary>"true" when an incremental slice had no new rows; the run then succeeds with nothing deployed.</summary>
    public const string EmptyOutput = "empty";

    /// <summary>Artifact and output names of a <c>train</c> step.</summary>
    public const string ModelArtifact = "model";
    public const string TaskOutput = "task";
    public const string TrainerOutput = "trainer";

    /// <summary>Outputs of an <c>evaluate</c> step: the chosen candidate's train step id, and the production version compared against.</summary>
    public const string ChosenOutput = "chosen";
    public const string ProductionVersionOutput = "production_version";

    /// <summary>
    /// Evaluate output: why the chosen candidate may be registered but must not be deployed (too few evaluation rows,
    /// the built-in safety); absent when it may be deployed.
    /// </summary>
    public const string HeldBackOutput = "held_back";

    /// <summary>Evaluate output: how many rows candidate and production were judged on.</summary>
    public const string EvaluationRowsOutput = "evaluation_rows";

    /// <summary>
    /// "true" on a step that failed because it judged the data's candidate not good enough (a failed gate), not because
    /// the data or the system failed: the rows were consumed, so the run still advances the watermark.
    /// </summary>
    public const string RejectedOutput = "rejected";

    /// <summary>Outputs of a <c>deploy</c> step.</summary>
    public const string ModelNameOutput = "model_name";
    public const string ModelVersionOutput = "model_version";

    /// <summary>Registry properties of a model version.</summary>
    public const string SchemaProperty = "schema";
    public const string ProfileProperty = "profile";
    public const string TaskProperty = "task";
    public const string TrainerProperty = "trainer";

    /// <summary>
    /// Registry property of a version made by continuing another (warm start): the version trained from scratch that
    /// its drift profile and performance reference come from. Absent on versions trained from scratch (their own).
    /// </summary>
    public const string ReferenceVersionProperty = "reference_version";

    /// <summary>
    /// Registry properties of the lineage's holdout: the test rows (<c>.idv</c> path) of the full run that trained the
    /// version a chain of incremental versions goes back to, and the first and last timestamp of that run's data. An
    /// incremental candidate is judged on the newest part of them as well as on its slice's test rows.
    /// </summary>
    public const string HoldoutProperty = "holdout";
    public const string HoldoutFromProperty = "holdout_from";
    public const string HoldoutThroughProperty = "holdout_through";

    /// <summary>Registry property: the newest timestamp in the data the version was trained on (the data_prep watermark).</summary>
    public const string DataThroughProperty = "data_through";
}
