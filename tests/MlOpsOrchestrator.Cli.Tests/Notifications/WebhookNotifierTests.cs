using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using MlOpsOrchestrator.Cli.Notifications;
using MlOpsOrchestrator.Notifications;
using MlOpsOrchestrator.Security;
using MlOpsOrchestrator.Specs;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Notifications;

/// <summary>
/// The sender on its own, against a real HTTP listener: who gets what, nothing when notifications are off (a replay),
/// and a webhook that never answers blocks neither the caller nor the other deliveries.
/// </summary>
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

    [Test]
    public async Task Publish_WebhookNeverAnswers_ReturnsAtOnce_AndTheNextNotificationIsStillDelivered()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var connected = silent.AcceptTcpClientAsync();
        using var answering = new WebhookListener();
        var silentHook = new NotifySpec { Url = new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/hook"), Events = [NotifyEvent.RunFailed] };
        var settings = new NotifySettings { AttemptTimeout = TimeSpan.FromMinutes(2), DrainTimeout = TimeSpan.FromMilliseconds(200) };
        await using (var notifier = new WebhookNotifier(settings, TimeProvider.System, NullLogger<WebhookNotifier>.Instance))
        {
            // A bound far beyond what queueing takes, far below what waiting for the silent webhook would.
            await Task.Run(() => notifier.Publish(Failed, [silentHook], SecretRedactor.None)).WaitAsync(TimeSpan.FromSeconds(10));
            using var held = await connected.WaitAsync(TimeSpan.FromSeconds(10)); // its post is under way, never answered
            await Task.Run(() => notifier.Publish(Failed with { RunId = "demand-2" }, [Hook(answering, NotifyEvent.RunFailed)], SecretRedactor.None)).WaitAsync(TimeSpan.FromSeconds(10));
            for (var i = 0; i < 100 && answering.Delivered.Count == 0; i++)
            {
                await Task.Delay(100);
            }
        }

        Assert.That(answering.Delivered.Select(b => b["run_id"]!.GetValue<string>()), Is.EqualTo(new[] { "demand-2" }), "a webhook that hangs holds up no other delivery");
    }

    private static NotifySpec Hook(WebhookListener listener, params NotifyEvent[] events) => new() { Url = new Uri(listener.Url()), Events = events };
}
