using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Feedback;

/// <summary>
/// The one place <c>promote_when</c> is decided, whoever asks (serve's timer, a feedback request): the challenger and
/// production are compared on the online metrics of requests since the challenger's alias moved, and a move goes
/// through <see cref="IModelService"/>, audited as <see cref="By"/> with the numbers as the reason.
/// </summary>
public interface IOnlinePromotion
{
    /// <summary>Who the alias history records for an automatic move.</summary>
    const string By = "promote_when";

    /// <summary>Judges the challenger of <paramref name="rule"/> now, and moves aliases when the evidence says so.</summary>
    Task<PromotionVerdict> JudgeAsync(PromotionRule rule, CancellationToken ct);

    static IOnlinePromotion Create(IModelService models, IModelRegistry registry, IOnlineMetrics metrics, TimeProvider time, ILogger<IOnlinePromotion> logger) =>
        new OnlinePromotion(models, registry, metrics, time, logger);
}
