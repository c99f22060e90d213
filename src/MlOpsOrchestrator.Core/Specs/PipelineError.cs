namespace MlOpsOrchestrator.Specs;

/// <summary>
/// One problem in a pipeline file. Bad YAML is a normal outcome for an authoring tool, so it is data, not an
/// exception: the validator returns every error of a file at once.
/// </summary>
/// <param name="File">The file as the user named it.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
/// <param name="Path">The YAML path of the node, e.g. <c>steps[2].needs[0]</c>; empty for the document.</param>
/// <param name="Message">What is wrong and what would be valid.</param>
public sealed record PipelineError(string File, int Line, int Column, string Path, string Message)
{
    /// <summary>The compiler-style line <c>file:line:col: error: path: message</c>.</summary>
    public override string ToString() =>
        Path.Length == 0
            ? $"{File}:{Line}:{Column}: error: {Message}"
            : $"{File}:{Line}:{Column}: error: {Path}: {Message}";
}
