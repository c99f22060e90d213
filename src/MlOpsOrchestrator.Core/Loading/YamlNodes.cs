using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Text;

namespace MlOpsOrchestrator.Loading;

/// <summary>
/// A YAML node with its position. The loader builds its own small tree (rather than YamlDotNet's representation
/// model) so that duplicate keys stay visible and every node keeps the mark an error must point at.
/// </summary>
internal abstract record YNode(SourceMark Mark)
{
    public abstract string Describe();
}

/// <summary>
/// A scalar; <see cref="Quoted"/> is true when the author quoted it (then it is always text). When it held
/// <c>${env:…}</c> references, <see cref="Original"/> keeps the text as written, <see cref="FromEnv"/> names the first
/// variable, and <see cref="MissingEnv"/> names one that was not set (the value is then unusable).
/// </summary>
internal sealed record YScalar(SourceMark Mark, string Value, bool Quoted, string? FromEnv = null, string? Original = null, string? MissingEnv = null) : YNode(Mark)
{
    public bool IsNull => !Quoted && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string Describe() => IsNull ? "null" : "a scalar";

    /// <summary>The value as it may appear in a message: values that came from the environment are never shown.</summary>
    public string Shown => FromEnv is null ? Echo.Value(Value) : $"(value of ${{env:{FromEnv}}})";
}

internal sealed record YSequence(SourceMark Mark, IReadOnlyList<YNode> Items) : YNode(Mark)
{
    public override string Describe() => "a list";
}

internal sealed record YMapping(SourceMark Mark, IReadOnlyList<KeyValuePair<YScalar, YNode>> Entries) : YNode(Mark)
{
    public override string Describe() => "a mapping";
}
