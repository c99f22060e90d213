using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Feedback;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Cli.Composition;

/// <summary>Feedback, online metrics and <c>promote_when</c>, for every host and the CLI.</summary>
internal static class FeedbackRegistration
{
    public static void Add(IServiceCollection services)
    {
        services.AddSingleton(sp => IOnlineMetrics.Create(sp.GetRequiredService<IFeedbackStore>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => IFeedbackService.Create(
            sp.GetRequiredService<IFeedbackStore>(), sp.GetRequiredService<IModelRegistry>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => IOnlinePromotion.Create(
            sp.GetRequiredService<IModelService>(), sp.GetRequiredService<IModelRegistry>(), sp.GetRequiredService<IOnlineMetrics>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<IOnlinePromotion>>()));
    }
}
