using Microsoft.Extensions.Logging.Abstractions;
using MlOpsOrchestrator.Cli.Notifications;
using MlOpsOrchestrator.Notifications;
using MlOpsOrchestrator.Security;
using MlOpsOrchestrator.Specs;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Notifications;

/// <summary>The sender on its own, against a real HTTP listener: who gets what, and nothing when notifications are off (a replay).</summary>
public sealed class WebhookNotifierTests
{
    private static readonly Notification Failed = new()
    {
        Event = NotifyEvent.RunFailed, Pipeline = "demand", RunId = "demand-1", Trigger = "nightly", Text = "demand: run demand-1 failed", At = DateTimeOffset.UnixEpoch,
    };

    [Test]
    public async Task Publish_PipelineHooksOrElseTheDefaults_OnlyThoseWantingTheEvent()
    {
        using var own = new WebhookListener();
        using var fallback = new WebhookListener();
        using var deployOnly = new WebhookListener();
        var settings = new NotifySettings { Webhooks = [Hook(fallback, NotifyEvent.RunFailed)] };
        await using (var notifier = new WebhookNotifier(settings, TimeProvider.System, NullLogger<WebhookNotifier>.Instance))
        {
            notifier.Publish(Failed, [Hook(own, NotifyEvent.RunFailed), Hook(deployOnly, NotifyEvent.ModelDeployed)], SecretRedactor.None);
            notifier.Publish(Failed with { RunId = "demand-2" }, null, SecretRedactor.None);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(own.Delivered.Select(b => b["run_id"]!.GetValue<string>()), Is.EqualTo(new[] { "demand-1" }));
            Assert.That(fallback.Delivered.Select(b => b["run_id"]!.GetValue<string>()), Is.EqualTo(new[] { "demand-2" }), "a pipeline with its own webhooks does not use the defaults");
            Assert.That(deployOnly.Received, Is.Empty);
        }
    }

    [Test]
    public async Task Publish_NotificationsOff_NothingIsSentEvenToAPipelinesOwnHooks()
    {
        using var own = new WebhookListener();
        await using (var notifier = new WebhookNotifier(NotifySettings.Off with { Webhooks = [Hook(own, NotifyEvent.RunFailed)] }, TimeProvider.System, NullLogger<WebhookNotifier>.Instance))
        {
            notifier.Publish(Failed, [Hook(own, NotifyEvent.RunFailed)], SecretRedactor.None);
            notifier.Publish(Failed, null, SecretRedactor.None);
        }

        Assert.That(own.Received, Is.Empty);
    }

    private static NotifySpec Hook(WebhookListener listener, params NotifyEvent[] events) => new() { Url = new Uri(listener.Url()), Events = events };
}
