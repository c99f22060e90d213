namespace MlOpsOrchestrator.Specs;

/// <summary>Where a pipeline's rows come from. <see cref="Path"/> is absolute, already resolved and checked against the data root.</summary>
public sealed record SourceSpec
{
    /// <summary>The <c>type:</c> word; a host reads it with the <c>ISourceReader</c> registered for it.</summary>
    public required string Type { get; init; }
    public string? Path { get; init; }
    public char Separator { get; init; } = ',';
    public bool Header { get; init; } = true;

    /// <summary>csv: how the file's bytes are decoded; UTF-8 (the default) rejects bytes that are not UTF-8.</summary>
    public SourceEncoding Encoding { get; init; } = SourceEncoding.Utf8;

    /// <summary>Npgsql connection string; usually from <c>${env:…}</c> and then never printed or stored.</summary>
    public string? Connection { get; init; }
    public string? Query { get; init; }
    public required SourceMark Mark { get; init; }
}
