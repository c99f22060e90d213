namespace MlOpsOrchestrator.Cli.Replay;

/// <summary>
/// <c>mlops replay --json</c> and <c>replay.json</c>: <c>{pipeline, from, to, metric, policy, baselines, periods}</c>
/// and a few more fields. Metric values are null where no row was scored.
/// </summary>
internal sealed record ReplayReport
{
    public required string Pipeline { get; init; }
    public required DateTimeOffset From { get; init; }
    public required DateTimeOffset To { get; init; }
    public required string Metric { get; init; }

    /// <summary><c>day</c> or <c>week</c>: what <see cref="Periods"/> are.</summary>
    public required string Period { get; init; }
    public required ReplayPolicyView Policy { get; init; }
    public required IReadOnlyList<ReplayBaselineView> Baselines { get; init; }
    public required IReadOnlyList<ReplayPeriodView> Periods { get; init; }

    /// <summary>Rows in the range, each scored once per track (or counted in a track's <c>unscoredRows</c>).</summary>
    public required int Rows { get; init; }

    /// <summary>Real seconds the whole replay took.</summary>
    public required double ElapsedSeconds { get; init; }
}

/// <summary>The policy: the pipeline's own triggers.</summary>
internal sealed record ReplayPolicyView
{
    public double? Value { get; init; }
    public int Runs { get; init; }
    public int Deploys { get; init; }
    public int RegressiveDeploys { get; init; }
    public double TrainSeconds { get; init; }
    public int Retrains { get; init; }
    public int FailedRuns { get; init; }
    public int NoOpFires { get; init; }
    public int ScoredRows { get; init; }
    public int UnscoredRows { get; init; }
    public double WallSeconds { get; init; }

    /// <summary><see cref="TrainSeconds"/> by step kind (<c>data_prep</c>, <c>train</c>, ...).</summary>
    public IReadOnlyDictionary<string, double> StepSeconds { get; init; } = new Dictionary<string, double>();
}

/// <summary>A baseline: <c>static</c> or <c>full:CRON</c>.</summary>
internal sealed record ReplayBaselineView
{
    public required string Name { get; init; }
    public double? Value { get; init; }
    public int Runs { get; init; }
    public double TrainSeconds { get; init; }
    public int Deploys { get; init; }
    public int RegressiveDeploys { get; init; }
    public int FailedRuns { get; init; }
    public int NoOpFires { get; init; }
    public int ScoredRows { get; init; }
    public int UnscoredRows { get; init; }
    public double WallSeconds { get; init; }

    /// <summary><see cref="TrainSeconds"/> by step kind (<c>data_prep</c>, <c>train</c>, ...).</summary>
    public IReadOnlyDictionary<string, double> StepSeconds { get; init; } = new Dictionary<string, double>();
}

/// <summary>One period's metric for the policy and each baseline, over the rows that arrived in it.</summary>
internal sealed record ReplayPeriodView
{
    public required DateTimeOffset Start { get; init; }
    public double? Policy { get; init; }
    public required IReadOnlyDictionary<string, double?> Baselines { get; init; }
}
