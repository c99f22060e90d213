
namespace MlOpsOrchestrator.Specs;

/// <summary>The <c>data:</c> section. <see cref="Schema"/> keeps the author's order.</summary>
public sealed record DataSpec
{
    public required SourceSpec Source { get; init; }
    public SourceSpec? TestSource { get; init; }
    public string? Timestamp { get; init; }
    public required string Label { get; init; }
    public IReadOnlyList<ColumnSpec> Schema { get; init; } = [];

    /// <summary>Column names known at load time (from the CSV header or the schema); empty when unknown (postgres).</summary>
    public IReadOnlyList<string> KnownColumns { get; init; } = [];

    /// <summary>The features of feature views joined to each row as of its <see cref="Timestamp"/> (<c>view:feature</c>).</summary>
    public IReadOnlyList<FeatureRef> Features { get; init; } = [];

    /// <summary>The views <see cref="Features"/> name, as loaded with the pipeline (each once, by name).</summary>
    public IReadOnlyList<FeatureViewSpec> FeatureViews { get; init; } = [];

    public ColumnSpec? Column(string name) => Schema.FirstOrDefault(c => c.Name == name);
}
