using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Data.Ingestion;

/// <summary>Reads <c>type: csv</c> sources: the file at <c>path</c>, with its <c>separator</c>, <c>header</c> and <c>encoding</c>.</summary>
public sealed class CsvSourceReader : ISourceReader
{
    public string Type => SourceType.Csv;

    public SourceKeys Keys => SourceKeys.Csv;

    public string DisplayName(SourceSpec source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Path.GetFileName(source.Path ?? "");
    }

    public Task<SourceOpening> OpenAsync(SourceRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var source = request.Source;
        var name = DisplayName(source);
        try
        {
            var (file, problem) = CsvFile.Open(source.Path!, name, source.Separator, source.Header, request.SchemaNames, source.Encoding);
            return Task.FromResult(file is null ? SourceOpening.Failed(problem!) : SourceOpening.Opened(file));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Task.FromResult(SourceOpening.Failed($"cannot read {name}: {e.Message}"));
        }
    }
}
