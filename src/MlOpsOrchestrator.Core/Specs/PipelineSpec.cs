namespace MlOpsOrchestrator.Specs;

/// <summary>The whole pipeline file after loading and validation: defaults applied, paths resolved.</summary>
public sealed record PipelineSpec
{
    public int Version { get; init; } = 1;
    public required string Name { get; init; }
    public string? Description { get; init; }
    public string? Owner { get; init; }
    public required DataSpec Data { get; init; }
    public IReadOnlyList<TriggerSpec> Triggers { get; init; } = [];
    public string Timezone { get; init; } = "UTC";
    public ConcurrencyPolicy Concurrency { get; init; } = ConcurrencyPolicy.Skip;
    public required IReadOnlyList<StepSpec> Steps { get; init; }

    /// <summary>The webhooks of <c>notify:</c>; null when the key is left out (the host's default webhooks apply), empty for <c>notify: []</c> (none).</summary>
    public IReadOnlyList<NotifySpec>? Notify { get; init; }

    /// <summary>What <c>mlops gc</c> keeps of this pipeline's model versions and run history; null: the host's default.</summary>
    public RetentionSpec? Retention { get; init; }

    /// <summary>YAML paths (e.g. <c>triggers[0].cron</c>) whose values came from <c>${env:…}</c>: never printed or stored.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentPaths { get; init; } = new Dictionary<string, string>();

    public StepSpec? Step(string id) => Steps.FirstOrDefault(s => s.Id == id);
    public TriggerSpec? Trigger(string id) => Triggers.FirstOrDefault(t => t.Id == id);
}
