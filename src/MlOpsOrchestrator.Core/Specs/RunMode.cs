namespace MlOpsOrchestrator.Specs;

/// <summary>A full run uses all rows; an incremental one only rows newer than the watermark.</summary>
public enum RunMode
{
    Full,
    Incremental,
}
