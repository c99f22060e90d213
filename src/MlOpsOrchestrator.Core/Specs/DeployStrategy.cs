namespace MlOpsOrchestrator.Specs;

/// <summary>
/// How a deploy step puts its version in front of requests. <see cref="Replace"/> moves the step's alias (production)
/// at once; <see cref="Shadow"/> moves <c>shadow</c>, whose answers are logged next to production's and never returned;
/// <see cref="Canary"/> moves <c>canary</c>, which answers a share of the requests. The last two leave production as it is.
/// </summary>
public enum DeployStrategy
{
    Replace,
    Shadow,
    Canary,
}
