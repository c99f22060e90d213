using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Steps;

/// <summary>What each deploy strategy records with its alias move, and how the step's note says what it did.</summary>
internal static class DeployStrategies
{
    public static string Name(DeployStrategy strategy) => strategy switch
    {
        DeployStrategy.Shadow => "shadow",
        DeployStrategy.Canary => "canary",
        _ => "replace",
    };

    /// <summary>The canary's share of requests, stored with its alias; null for the strategies that have none.</summary>
    public static AliasRoute? Route(DeployStep step) =>
        step is { Strategy: DeployStrategy.Canary, Traffic: { } traffic } ? new AliasRoute(traffic, step.Key) : null;

    /// <summary>The note's tail: what requests see now, and that production stayed.</summary>
    public static string Effect(DeployStep step, int? production)
    {
        var stays = production is { } version ? $"production stays at v{version}" : "no production version yet";
        return step.Strategy switch
        {
            DeployStrategy.Shadow => $" (scores every request next to production, answers logged, never returned); {stays}",
            DeployStrategy.Canary => $" (answers {Route(step)}); {stays}",
            _ => "",
        };
    }
}
