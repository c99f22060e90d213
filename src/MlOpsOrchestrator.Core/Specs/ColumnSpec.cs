namespace MlOpsOrchestrator.Specs;

/// <summary>A schema entry: the declared type and policies of one column.</summary>
public sealed record ColumnSpec
{
    public required string Name { get; init; }
    public ColumnType? Type { get; init; }
    public MissingPolicy Missing { get; init; } = MissingPolicy.Fail;
    public double? Min { get; init; }
    public double? Max { get; init; }

    /// <summary>For a binary label held as two strings: the positive class.</summary>
    public string? Positive { get; init; }

    /// <summary>For a multiclass label: the classes in order (otherwise order of first appearance).</summary>
    public IReadOnlyList<string>? Classes { get; init; }
    public required SourceMark Mark { get; init; }
}
