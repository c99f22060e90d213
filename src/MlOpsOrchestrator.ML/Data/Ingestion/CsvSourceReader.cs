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

    /// <summary>
    /// A csv path missing where the step runs: in a cluster, usually a file only one machine has. The message names the
    /// machine and the full path, and the two ways out.
    /// </summary>
    public static string NotOnThisNode(string name, string path) =>
        $"cannot read {name}: the file {Path.GetFullPath(path)} does not exist on node {Environment.MachineName}, where this step runs; "
        + "in a cluster every node that executes runs (serve and each worker) needs the file at that same path (a shared read-only mount "
        + "or a copy), or read the data with a 'postgres' source instead";

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
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult(SourceOpening.Failed(NotOnThisNode(name, source.Path!)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Task.FromResult(SourceOpening.Failed($"cannot read {name}: {e.Message}"));
        }
    }
}
