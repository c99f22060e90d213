namespace MlOpsOrchestrator.Specs;

/// <summary>Where a pipeline's rows come from. <see cref="Path"/> is absolute, already resolved and checked against the data root.</summary>
public sealed record SourceSpec
{
    public required SourceType Type { get; init; }
    public string? Path { get; init; }
    public char Separator { get; init; } = ',';
    public bool Header { get; init; } = true;

    /// <summary>Npgsql connection string; usually from <c>${env:…}</c> and then never printed or stored.</summary>
    public string? Connection { get; init; }
    public string? Query { get; init; }
    public required SourceMark Mark { get; init; }
}
