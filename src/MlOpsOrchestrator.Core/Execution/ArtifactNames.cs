namespace MlOpsOrchestrator.Execution;

/// <summary>
/// The names under which steps record the files they hand each other (<see cref="Runs.StepRecord.Artifacts"/>).
/// <c>data_prep</c> writes the train and test sets as ML.NET binary files (<c>.idv</c>) with typed columns, the
/// <see cref="DatasetSchema"/> as JSON and the data profile; <c>train</c> writes the model and its view of the schema;
/// <c>train</c>, <c>evaluate</c> and <c>monitor</c> read them from the upstream step's record.
/// Column representation in the <c>.idv</c> files, named exactly as in the data: <c>float</c> and <c>int</c> as
/// Single (missing = NaN, for <c>missing: mean|zero</c>, imputed inside the model so serving does the same);
/// <c>boolean</c> as Boolean; <c>categorical</c> and <c>text</c> as String (missing = empty); <c>datetime</c> as
/// DateTime. The label: Single for regression, Boolean for binary, String (the class name) for multiclass.
/// </summary>
public static class ArtifactNames
{
    /// <summary>Artifacts of a <c>data_prep</c> step.</summary>
    public const string Train = "train";
    public const string Test = "test";
    public const string Profile = "profile";

    /// <summary>The dataset schema: of the prepared data (<c>data_prep</c>), or the model's view of it (<c>train</c>).</summary>
    public const string Schema = "schema";

    /// <summary>The artifact of a <c>train</c> step: the whole fitted chain, <c>model.zip</c>.</summary>
    public const string Model = "model";
}
