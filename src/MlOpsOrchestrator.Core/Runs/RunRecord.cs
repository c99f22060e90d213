using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Runs;

/// <summary>
/// A run as persisted. It carries the YAML it ran (secrets stay as <c>${env:…}</c> references), so a resumed or
/// re-queued run executes exactly the version it started with, even after the file was edited.
/// </summary>
public sealed record RunRecord
{
    public required string RunId { get; init; }
    public required string Pipeline { get; init; }
    public required string PipelineVersion { get; init; }

    /// <summary>Absolute path of the pipeline file at launch (relative data paths resolve from it).</summary>
    public required string PipelineFile { get; init; }

    /// <summary>The YAML text at launch.</summary>
    public required string PipelineYaml { get; init; }

    /// <summary>A trigger id, <c>manual</c> or <c>api</c>.</summary>
    public required string Trigger { get; init; }
    public required RunMode Mode { get; init; }
    public RunStatus Status { get; init; } = RunStatus.Pending;
    public required int Level { get; init; }
    public IReadOnlyList<string> LevelReasons { get; init; } = [];
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Ids of the steps this run executes (a trigger's <c>steps:</c> subset, or all).</summary>
    public IReadOnlyList<string>? StepSubset { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public string? Error { get; init; }

    /// <summary>The model version this run registered, if any.</summary>
    public ModelRef? Model { get; init; }

    /// <summary>Who executes it now (<c>host:pid</c>), and when it last said so; how a dead executor is recognised.</summary>
    public string? Owner { get; init; }
    public DateTimeOffset? HeartbeatAt { get; init; }

    /// <summary>Makes launching idempotent, e.g. <c>pipeline|trigger|scheduled fire time</c>; null for manual runs.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Who started the run by hand (the CLI's OS user and host, the API token's name, the dashboard user); null for a scheduled fire.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>The failed or cancelled run this one retries (<c>mlops retry</c>): its finished steps were carried over.</summary>
    public string? RetryOf { get; init; }

    /// <summary>Who last resumed the run after it was interrupted or failed.</summary>
    public string? ResumedBy { get; init; }

    /// <summary>
    /// A request to cancel the run, recorded whoever owns it (<see cref="Stores.IRunExecutionStore.RequestCancelAsync"/>):
    /// its executor stops the executing steps at their next check and ends the run as cancelled.
    /// </summary>
    public CancelRequest? CancelRequest { get; init; }
}
