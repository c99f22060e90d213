using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Sources;

/// <summary>What a step asks of a source when it opens it.</summary>
public sealed record SourceRequest
{
    public required SourceSpec Source { get; init; }

    /// <summary>The names <c>data.schema</c> declares, in order: a file without a header may take them as its column names.</summary>
    public IReadOnlyList<string> SchemaNames { get; init; } = [];

    /// <summary>
    /// Rows at or before this instant are not wanted (incremental mode). A reader may leave them out at the source (a
    /// query's <c>@watermark</c>); the step filters by the timestamp column in any case.
    /// </summary>
    public DateTimeOffset? Watermark { get; init; }

    /// <summary>Progress lines for the run's log (e.g. rows fetched so far).</summary>
    public Action<string> Progress { get; init; } = _ => { };
}
