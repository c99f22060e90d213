namespace MlOpsOrchestrator.Specs;

public sealed record DeployStep : StepSpec
{
    /// <summary>The alias a shadow deploy moves.</summary>
    public const string ShadowAlias = "shadow";

    /// <summary>The alias a canary deploy moves.</summary>
    public const string CanaryAlias = "canary";

    public override StepKind Kind => StepKind.Deploy;

    /// <summary>The alias moved: the YAML's <c>alias</c> (default production) for replace, <c>shadow</c> or <c>canary</c> for those strategies.</summary>
    public string Alias { get; init; } = "production";

    /// <summary>Registry name; the loader fills in the pipeline's name when the YAML omits it.</summary>
    public required string Model { get; init; }

    public DeployStrategy Strategy { get; init; } = DeployStrategy.Replace;

    /// <summary>Canary only: the share of requests (more than 0, less than 1) the new version answers.</summary>
    public double? Traffic { get; init; }

    /// <summary>
    /// Canary only: the field of the request row whose value decides which version answers it (sticky per value);
    /// null splits by the request's <c>X-Request-Key</c> header, else per request.
    /// </summary>
    public string? Key { get; init; }

    /// <summary>Promotion on evidence of the challenger this step places; null when a human decides.</summary>
    public PromoteWhen? PromoteWhen { get; init; }
}
