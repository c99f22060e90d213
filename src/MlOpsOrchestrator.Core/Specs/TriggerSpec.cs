namespace MlOpsOrchestrator.Specs;

/// <summary>A trigger: a Quartz cron schedule, or <c>on: drift</c> fired by this pipeline's own <c>retrain</c> step.</summary>
public sealed record TriggerSpec
{
    public required string Id { get; init; }
    public string? Cron { get; init; }

    /// <summary>The event name for event triggers; only <c>drift</c> exists in version 1.</summary>
    public string? On { get; init; }
    public RunMode Mode { get; init; } = RunMode.Full;
    public MisfirePolicy Misfire { get; init; } = MisfirePolicy.FireOnce;

    /// <summary>A subset of steps to run; null means the whole pipeline.</summary>
    public IReadOnlyList<string>? Steps { get; init; }
    public required SourceMark Mark { get; init; }

    /// <summary>Index in the file's <c>triggers:</c> list.</summary>
    public int Position { get; init; }

    public string YamlPath => $"triggers[{Position}]";

    public bool IsCron => Cron is not null;
    public bool IsDrift => On == "drift";
}
