using MlOpsOrchestrator.Security;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Text;

namespace MlOpsOrchestrator.Loading;

/// <summary>Collects the errors of one file; the path is filled in by the caller that knows where it is in the tree.</summary>
internal sealed class ErrorSink(string file)
{
    private readonly List<PipelineError> _errors = [];
    private readonly List<KeyValuePair<string, string>> _secrets = [];
    private SecretRedactor? _redactor;

    public string File => file;

    public IReadOnlyList<PipelineError> Errors => _errors;

    public int Count => _errors.Count;

    /// <summary>Longest message kept: a value pasted into the YAML is echoed in full nowhere, whatever rule quoted it.</summary>
    private const int MaxMessage = 2000;

    // Redacted before it is cut: a secret cut in half would no longer match.
    public void Add(SourceMark mark, string path, string message) =>
        _errors.Add(new PipelineError(file, mark.Line, mark.Column, path, Echo.Value(Redact(message), MaxMessage)));

    /// <summary>A value that came from the environment: never printed, so every message is scrubbed of it.</summary>
    public void AddSecret(string value, string name)
    {
        if (value.Length > 0)
        {
            _secrets.Add(new(name, value));
            _redactor = null;
        }
    }

    /// <summary>Scrubs the values added with <see cref="AddSecret"/> (see <see cref="SecretRedactor"/> for the rule).</summary>
    public SecretRedactor Redactor => _redactor ??= _secrets.Count == 0 ? SecretRedactor.None : new SecretRedactor(_secrets);

    private string Redact(string message) => Redactor.Redact(message)!;

    public void Add(YNode node, string path, string message) => Add(node.Mark, path, message);
}
