namespace MlOpsOrchestrator.Specs;

/// <summary>What data_prep does with a missing value: fail the run, drop the row, or impute (inside the model).</summary>
public enum MissingPolicy
{
    Fail,
    Drop,
    Mean,
    Zero,
}
