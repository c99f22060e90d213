using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Sources;

/// <summary>
/// What a <c>data.source</c> of one type takes besides <c>type:</c>, as its <see cref="ISourceReader"/> describes it.
/// The loader builds its checks from these (unknown keys, keys of another type, missing keys), so a new source type
/// is its reader and its registration, not a change to the loader. A key is one the loader reads into
/// <see cref="SourceSpec"/> (<see cref="Readable"/>); <c>path</c> is a data file, resolved against the pipeline file
/// and checked against the data root.
/// </summary>
/// <param name="Type">The <c>type:</c> word, e.g. <c>csv</c>.</param>
/// <param name="Required">Keys a source of this type must have, in the order their absence is reported.</param>
/// <param name="Optional">Keys it may have.</param>
public sealed record SourceKeys(string Type, IReadOnlyList<string> Required, IReadOnlyList<string> Optional)
{
    /// <summary>The keys <see cref="SourceSpec"/> has a field for, in the order messages list them.</summary>
    public static IReadOnlyList<string> Readable { get; } = ["path", "separator", "header", "encoding", "connection", "query"];

    /// <summary>A CSV file: <c>path</c>, and how to read it.</summary>
    public static SourceKeys Csv { get; } = new(SourceType.Csv, ["path"], ["separator", "header", "encoding"]);

    /// <summary>A PostgreSQL query.</summary>
    public static SourceKeys Postgres { get; } = new(SourceType.Postgres, ["connection", "query"], []);

    /// <summary>The source types the product ships readers for; what a loader accepts when its host does not say.</summary>
    public static IReadOnlyList<SourceKeys> BuiltIn { get; } = [Csv, Postgres];

    /// <summary>Every key of this type, required first.</summary>
    public IEnumerable<string> All => Required.Concat(Optional);
}
