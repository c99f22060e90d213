using MlOpsOrchestrator.Catalogs;

namespace MlOpsOrchestrator.Specs;

public sealed record TrainStep : StepSpec
{
    public override StepKind Kind => StepKind.Train;
    public required MlTask Task { get; init; }

    /// <summary>Null means every column except label, timestamp and ignored ones.</summary>
    public IReadOnlyList<string>? Features { get; init; }
    public required string Trainer { get; init; }

    /// <summary>snake_case option name to a long, double, bool or string.</summary>
    public IReadOnlyDictionary<string, object> Options { get; init; } = new Dictionary<string, object>();
    public int Seed { get; init; } = 42;
    public IncrementalSpec? Incremental { get; init; }
}
