using MlOpsOrchestrator.ML.Replay;

namespace MlOpsOrchestrator.Cli.Replay;

/// <summary>What one replayed schedule did: the rows it scored, its runs, deploys and the compute they took.</summary>
internal sealed record ReplayTrackResult
{
    public required string Name { get; init; }

    /// <summary>Each scored row (its index in the table) with its label and prediction.</summary>
    public required IReadOnlyList<(int Row, ScoredRow Scored)> Scored { get; init; }

    /// <summary>Rows in the range not scored: before the first version was deployed, or that the version could not score.</summary>
    public required int Unscored { get; init; }
    public required int Runs { get; init; }
    public required int Retrains { get; init; }
    public required int Deploys { get; init; }
    public required int RegressiveDeploys { get; init; }
    public required int FailedRuns { get; init; }
    public string? FirstFailure { get; init; }
    public required int NoOpFires { get; init; }

    /// <summary>Real seconds spent in the steps of the runs.</summary>
    public required double TrainSeconds { get; init; }

    /// <summary><see cref="TrainSeconds"/> by step kind.</summary>
    public IReadOnlyList<(Specs.StepKind Kind, TimeSpan Elapsed)> StepTimes { get; init; } = [];

    /// <summary>Real seconds for the whole track: runs, orchestration and prequential scoring.</summary>
    public required double WallSeconds { get; init; }
}
