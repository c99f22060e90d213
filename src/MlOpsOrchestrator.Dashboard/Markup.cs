namespace MlOpsOrchestrator.Dashboard;

/// <summary>HTML that is already safe (built by <see cref="HtmlBuilder"/> or a literal); everything else gets encoded.</summary>
internal readonly record struct Markup(string Html)
{
    public static Markup Empty { get; } = new(string.Empty);

    public override string ToString() => Html;
}
