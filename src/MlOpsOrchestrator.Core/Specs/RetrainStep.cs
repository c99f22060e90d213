namespace MlOpsOrchestrator.Specs;

public sealed record RetrainStep : StepSpec
{
    public override StepKind Kind => StepKind.Retrain;
    public RetrainWhen When { get; init; } = RetrainWhen.Drift;

    /// <summary>The id of an <c>on: drift</c> trigger of this pipeline.</summary>
    public required string Trigger { get; init; }

    /// <summary>
    /// The least time between two retrains this step starts (<c>cooldown:</c>): a drift that persists retrains again
    /// once the cooldown since the last retrain has passed, never on every monitor run.
    /// </summary>
    public TimeSpan Cooldown { get; init; } = DefaultCooldown;

    /// <summary>The cooldown when the YAML does not set one.</summary>
    public static readonly TimeSpan DefaultCooldown = TimeSpan.FromHours(1);
}
