using MlOpsOrchestrator.Notifications;
using MlOpsOrchestrator.Security;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Scheduling.Tests.Hangfire;

/// <summary>The scheduling tests tell nobody about their runs: delivery is the hosts' business, tested with them.</summary>
internal sealed class NoNotifications : INotifier
{
    public void Publish(Notification notification, IReadOnlyList<NotifySpec>? pipelineHooks, SecretRedactor redactor)
    {
    }
}
