namespace MlOpsOrchestrator.Specs;

/// <summary>A 1-based line and column in a pipeline file, so every error can point at what the author typed.</summary>
public readonly record struct SourceMark(int Line, int Column)
{
    public override string ToString() => $"{Line}:{Column}";
}
