using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.ML.Replay;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Cli.Replay;

/// <summary>What every track of one replay shares: the pipeline, its data, the range, the metric and the periods.</summary>
internal sealed record ReplaySetup
{
    public required PipelineDefinition Definition { get; init; }
    public required string Yaml { get; init; }
    public required ReplayTable Table { get; init; }
    public required DateTimeOffset From { get; init; }
    public required DateTimeOffset To { get; init; }

    /// <summary>The evaluate step's primary metric, computed prequentially.</summary>
    public required string Metric { get; init; }
    public required bool HigherIsBetter { get; init; }
    public required ReplayPeriod Period { get; init; }

    /// <summary>The registry name of the deployed model and the alias that serves it.</summary>
    public required string Model { get; init; }
    public required string Alias { get; init; }
    public required string DataRoot { get; init; }

    /// <summary>The data as the runs read it, read once for every schedule of the replay.</summary>
    public SourceSnapshots Snapshots { get; init; } = new();

    /// <summary>Where the throwaway homes go; deleted at the end.</summary>
    public required string Scratch { get; init; }
}
