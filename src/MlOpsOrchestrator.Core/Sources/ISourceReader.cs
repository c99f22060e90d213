using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Sources;

/// <summary>
/// Reads one type of <c>data.source</c> (<see cref="SourceSpec.Type"/>) for the steps that read data (data_prep,
/// monitor): it opens the source and hands out its records as text fields, which the steps then type and validate
/// alike. A host registers one reader per type; <see cref="SourceReaders"/> picks it by <see cref="Type"/>.
/// </summary>
public interface ISourceReader
{
    /// <summary>The <c>type:</c> of the sources this reader reads, e.g. <c>csv</c>.</summary>
    string Type { get; }

    /// <summary>
    /// The keys a source of this type takes; the host hands them to the loader (<c>PipelineLoaderOptions.Sources</c>),
    /// which accepts this type and exactly these keys. <see cref="SourceKeys.Type"/> is <see cref="Type"/>.
    /// </summary>
    SourceKeys Keys { get; }

    /// <summary>How messages name <paramref name="source"/> when it could not even be opened.</summary>
    string DisplayName(SourceSpec source);

    /// <summary>Opens the source, or returns the problem that prevented it (never throws for bad input).</summary>
    Task<SourceOpening> OpenAsync(SourceRequest request, CancellationToken ct);
}
