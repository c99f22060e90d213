namespace MlOpsOrchestrator.Specs;

/// <summary>What a cron trigger does after downtime: fire once for the missed ticks, or skip them.</summary>
public enum MisfirePolicy
{
    FireOnce,
    Skip,
}
