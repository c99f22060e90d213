namespace MlOpsOrchestrator.Sources;

/// <summary>An opened source, or the reason it could not be opened (a message for the pipeline's author).</summary>
public sealed record SourceOpening(IRecordSource? Source, string? Problem)
{
    public static SourceOpening Opened(IRecordSource source) => new(source, null);

    public static SourceOpening Failed(string problem) => new(null, problem);
}
