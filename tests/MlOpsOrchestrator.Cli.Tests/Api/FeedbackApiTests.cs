using System.Net;
using Microsoft.Extensions.DependencyInjection;
using MlOpsOrchestrator.Cli.Tests.Hosting;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;
using static MlOpsOrchestrator.Cli.Tests.Api.ApiSetUp;

namespace MlOpsOrchestrator.Cli.Tests.Api;

/// <summary>
/// <c>POST /api/models/{name}/feedback</c>, <c>GET .../online</c> and <c>POST .../withdraw</c> on the real host: one
/// object or an array, per-item results, clear 400s and 404s, and writes refused to a viewer as every write is.
/// </summary>
public sealed class FeedbackApiTests
{
    private const string Model = "churn-api-feedback";

    [OneTimeSetUp]
    public async Task RegisterAModelWithACanary()
    {
        var story = await ApprovedRunAsync();
        Assert.That(story.Final?["status"]!.GetValue<string>(), Is.EqualTo("succeeded"), "the feedback tests need the run deployed");
        var registry = Serve.Services.GetRequiredService<IModelRegistry>();
        var source = (await registry.GetAsync("churn-api", 1, CancellationToken.None))!;
        await ModelVersionCopies.RegisterAsync(Serve.Services, source with { Name = Model }, "feedback-run-1");
        await ModelVersionCopies.RegisterAsync(Serve.Services, source with { Name = Model }, "feedback-run-2");
        await registry.MoveAliasAsync(Model, "production", 1, "deploy", null, DateTimeOffset.UtcNow.AddMinutes(-10), CancellationToken.None);
        await registry.MoveAliasAsync(Model, "canary", 2, "deploy", null, DateTimeOffset.UtcNow.AddMinutes(-10), CancellationToken.None);
        await Serve.Services.GetRequiredService<IPredictionLog>().AppendAsync(
        [
            new PredictionRecord(Model, 1, DateTimeOffset.UtcNow.AddMinutes(-5), "{}", """{"predictedLabel":true,"probability":0.9,"score":2}""", 3, "production", "f-1"),
            new PredictionRecord(Model, 2, DateTimeOffset.UtcNow.AddMinutes(-4), "{}", """{"predictedLabel":false,"probability":0.2,"score":-1}""", 4, "canary", "f-2"),
        ], CancellationToken.None);
    }

    [Test]
    public async Task Feedback_OneObject_AcceptedAndCountedOnline()
    {
        var (status, body) = await Serve.PostAsync($"/api/models/{Model}/feedback", """{ "predictionId": "f-1", "label": true }""");
        var (_, again) = await Serve.PostAsync($"/api/models/{Model}/feedback", """[{ "predictionId": "f-1", "label": "false" }, { "predictionId": "f-2", "label": "no" }]""");
        var (onlineStatus, online) = await Serve.GetAsync($"/api/models/{Model}/online?window=1h");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body?.ToJsonString());
        Assert.Multiple(() =>
        {
            Assert.That(body!["results"]!.AsArray().Select(r => r!["status"]!.GetValue<string>()), Is.EqualTo(new[] { "accepted" }));
            Assert.That(again!["results"]!.AsArray().Select(r => r!["status"]!.GetValue<string>()), Is.EqualTo(new[] { "duplicate", "accepted" }));
            Assert.That(onlineStatus, Is.EqualTo(HttpStatusCode.OK), online?.ToJsonString());
            var versions = online!["versions"]!.AsArray();
            Assert.That(versions.Select(v => $"{v!["alias"]} v{v["version"]} {v["labelled"]} accuracy {v["metrics"]!["accuracy"]}"),
                Is.EqualTo(new[] { "production v1 1 accuracy 1", "canary v2 1 accuracy 1" }));
        });
    }

    [TestCase("""{ "label": 1 }""", "name the prediction: 'predictionId', or 'key' with 'timestamp' (when the request was made)")]
    [TestCase("""[]""", "the array of labels is empty")]
    [TestCase("""[{ "predictionId": "f-1", "label": {} }]""", "item 0: 'label' must be a string, a number or a boolean, not an object")]
    [TestCase("""{ "key": "k", "timestamp": "yesterday", "label": 1 }""", "'timestamp' 'yesterday' is not a date and time; use ISO 8601, e.g. 2026-12-07T10:00:00Z")]
    [TestCase("""{ "predictionId": "f-1", "label": 1, "extra": 2 }""", "unknown field(s) 'extra'; expected 'predictionId', 'key', 'timestamp', 'label'")]
    [TestCase("""{ "predictionId": "f-1", "key": "k", "timestamp": "2026-01-01T00:00:00Z", "label": 1 }""", "name the prediction one way: 'predictionId', or 'key' with 'timestamp', not both")]
    public async Task Feedback_BadShape_400WithTheReason(string json, string error)
    {
        var (status, body) = await Serve.PostAsync($"/api/models/{Model}/feedback", json);

        Assert.That((status, body?["error"]?.GetValue<string>()), Is.EqualTo((HttpStatusCode.BadRequest, error)));
    }

    [Test]
    public async Task FeedbackOnlineWithdraw_UnknownModelOrWindowOrViewer_AnsweredClearly()
    {
        var (unknown, _) = await Serve.PostAsync("/api/models/no-such-model/feedback", """{ "predictionId": "x", "label": 1 }""");
        var (unknownOnline, _) = await Serve.GetAsync("/api/models/no-such-model/online");
        var (badWindow, window) = await Serve.GetAsync($"/api/models/{Model}/online?window=2h");
        var (viewer, _) = await Serve.PostAsync($"/api/models/{Model}/feedback", """{ "predictionId": "f-2", "label": 1 }""", remoteToken: ServeHarness.ViewerToken);
        var (noAlias, _) = await Serve.PostAsync($"/api/models/{Model}/withdraw", "{}");
        var (unknownAlias, _) = await Serve.PostAsync($"/api/models/{Model}/withdraw", """{ "alias": "shadow" }""");

        Assert.Multiple(() =>
        {
            Assert.That((unknown, unknownOnline), Is.EqualTo((HttpStatusCode.NotFound, HttpStatusCode.NotFound)));
            Assert.That(badWindow, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(window!["error"]!.GetValue<string>(), Is.EqualTo("unknown window '2h'; use one of '1h', '24h', '7d', '30d'"));
            Assert.That(viewer, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((noAlias, unknownAlias), Is.EqualTo((HttpStatusCode.BadRequest, HttpStatusCode.NotFound)));
        });
    }
}
