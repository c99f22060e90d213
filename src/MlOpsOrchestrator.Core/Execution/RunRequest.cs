using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Execution;

/// <summary>A request to start a run: which pipeline, how it was started, and with what.</summary>
public sealed record RunRequest
{
    /// <summary>The trigger of a run started by hand (<c>mlops run</c> without <c>--trigger</c>).</summary>
    public const string ManualTrigger = "manual";

    /// <summary>The trigger of a run started through <c>POST /api/pipelines/{name}/runs</c>.</summary>
    public const string ApiTrigger = "api";

    public required PipelineDefinition Definition { get; init; }

    /// <summary>The YAML text the definition was loaded from; stored with the run.</summary>
    public required string Yaml { get; init; }

    /// <summary>A trigger id, <c>manual</c> or <c>api</c>.</summary>
    public string Trigger { get; init; } = ManualTrigger;

    /// <summary>Null: the trigger's mode, else full.</summary>
    public RunMode? Mode { get; init; }
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>The run whose <c>retrain</c> step asks for this one: it is still active, but must not count against <c>concurrency: skip</c>.</summary>
    public string? StartedBy { get; init; }

    /// <summary>See <see cref="Runs.RunRecord.IdempotencyKey"/>.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Who asked for the run by hand; set by <see cref="IRunService.StartAsync"/> from its caller.</summary>
    public string? RequestedBy { get; init; }
}
