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

    /// <summary>"true" when an incremental slice had no new rows; the run then succeeds with nothing deployed.</summary>
    public const string EmptyOutput = "empty";

    /// <summary>Artifact and output names of a <c>train</c> step.</summary>
    public const string ModelArtifact = "model";
    public const string TaskOutput = "task";
    public const string TrainerOutput = "trainer";

    /// <summary>Outputs of an <c>evaluate</c> step: the chosen candidate's train step id, and the production version compared against.</summary>
    public const string ChosenOutput = "chosen";
    public const string ProductionVersionOutput = "production_version";

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

    /// <summary>Registry property: the newest timestamp in the data the version was trained on (the data_prep watermark).</summary>
    public const string DataThroughProperty = "data_through";
}
