namespace MlOpsOrchestrator.Specs;

/// <summary>The declared type of a column; <c>ignore</c> leaves it out of everything.</summary>
public enum ColumnType
{
    Float,
    Int,
    Boolean,
    Categorical,
    Text,
    Datetime,
    Ignore,
}
