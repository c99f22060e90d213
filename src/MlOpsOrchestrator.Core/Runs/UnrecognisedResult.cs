namespace MlOpsOrchestrator.Runs;

/// <summary>
/// A stored result this version cannot read (written by a newer version, or of a kind it does not know): kept as it
/// was stored, so the run still shows and nothing that reads results fails on it. No step takes input from it.
/// </summary>
public sealed record UnrecognisedResult : StepResult
{
    /// <summary>The kind word stored with the result (a step kind, or whatever a newer version wrote).</summary>
    public required string Kind { get; init; }

    /// <summary>The stored format version; 0 for an untyped output dictionary of an earlier version.</summary>
    public required int Version { get; init; }

    /// <summary>The stored JSON, unchanged.</summary>
    public required string Json { get; init; }

    /// <summary>The string-valued fields of the stored JSON, shown as the step's <c>outputs</c>.</summary>
    public IReadOnlyDictionary<string, string> Outputs { get; init; } = new Dictionary<string, string>();
}
