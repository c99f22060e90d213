using MlOpsOrchestrator.Security;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Notifications;

/// <summary>
/// Where the run executor hands the decisions people should hear about. Delivery is the host's business (webhooks,
/// retried in the background): <see cref="Publish"/> only queues, so a slow or unreachable receiver never delays,
/// changes or fails a run.
/// </summary>
public interface INotifier
{
    /// <summary>
    /// Queues <paramref name="notification"/> for the webhooks of the pipeline's <c>notify:</c>
    /// (<paramref name="pipelineHooks"/>; null when the pipeline has none, and the host's default webhooks apply) that
    /// want its event. <paramref name="redactor"/> is the run's: what is logged about a delivery passes it. Never
    /// blocks and never throws.
    /// </summary>
    void Publish(Notification notification, IReadOnlyList<NotifySpec>? pipelineHooks, SecretRedactor redactor);
}
