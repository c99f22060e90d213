namespace MlOpsOrchestrator.Specs;

/// <summary>
/// A step of the pipeline DAG. Each kind is its own record so that executors receive exactly the settings that
/// kind has; <see cref="Automated"/> decides the maturity level.
/// </summary>
public abstract record StepSpec
{
    public required string Id { get; init; }
    public IReadOnlyList<string> Needs { get; init; } = [];
    public bool Automated { get; init; } = true;
    public required SourceMark Mark { get; init; }

    /// <summary>Index in the file's <c>steps:</c> list, for error paths such as <c>steps[2].needs[0]</c>.</summary>
    public int Position { get; init; }

    public string YamlPath => $"steps[{Position}]";
    public abstract StepKind Kind { get; }
}
