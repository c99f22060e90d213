using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Loading;

/// <summary>Collects the errors of one file; the path is filled in by the caller that knows where it is in the tree.</summary>
internal sealed class ErrorSink(string file)
{
    private readonly List<PipelineError> _errors = [];

    public string File => file;

    public IReadOnlyList<PipelineError> Errors => _errors;

    public int Count => _errors.Count;

    public void Add(SourceMark mark, string path, string message) =>
        _errors.Add(new PipelineError(file, mark.Line, mark.Column, path, message));

    public void Add(YNode node, string path, string message) => Add(node.Mark, path, message);
}
