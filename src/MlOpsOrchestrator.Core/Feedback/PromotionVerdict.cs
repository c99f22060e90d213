namespace MlOpsOrchestrator.Feedback;

/// <summary>What <see cref="IOnlinePromotion"/> decided for one challenger.</summary>
/// <param name="Model">The model.</param>
/// <param name="Alias">The challenger's alias.</param>
/// <param name="Outcome">Promoted, withdrawn, or still waiting for evidence.</param>
/// <param name="Reason">The numbers behind it, as recorded in the alias history when something moved.</param>
public sealed record PromotionVerdict(string Model, string Alias, PromotionOutcome Outcome, string Reason);
