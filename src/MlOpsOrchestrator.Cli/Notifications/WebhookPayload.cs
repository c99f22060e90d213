using System.Text.Json.Nodes;
using MlOpsOrchestrator.Notifications;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Cli.Notifications;

/// <summary>
/// The JSON body posted to a webhook: <c>text</c>, which Slack and Microsoft Teams incoming webhooks show as the
/// message (with the link to the run's page when the dashboard's address is known), and the same facts as fields for
/// receivers that route on them (<c>event</c>, <c>pipeline</c>, <c>run_id</c>, …).
/// </summary>
internal static class WebhookPayload
{
    public static string Create(Notification notification, Uri? runPage)
    {
        var text = runPage is null ? notification.Text : $"{notification.Text} {runPage.AbsoluteUri}";
        var body = new JsonObject
        {
            ["text"] = text,
            ["event"] = NotifyEvents.NameOf(notification.Event),
            ["pipeline"] = notification.Pipeline,
            ["run_id"] = notification.RunId,
            ["trigger"] = notification.Trigger,
            ["step"] = notification.StepId,
            ["model"] = notification.Model,
            ["at"] = notification.At.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["run_url"] = runPage?.AbsoluteUri,
        };
        return body.ToJsonString();
    }
}
