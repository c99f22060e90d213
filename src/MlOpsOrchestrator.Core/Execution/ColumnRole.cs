namespace MlOpsOrchestrator.Execution;

/// <summary>What a column of a prepared dataset is used for.</summary>
public enum ColumnRole
{
    Feature,
    Label,
    Timestamp,
    Ignored,
}
