using System.Net;
using System.Text.Json.Nodes;
using MlOpsOrchestrator.Cli.Tests.Hosting;
using NUnit.Framework;
using static MlOpsOrchestrator.Cli.Tests.Api.ApiSetUp;

namespace MlOpsOrchestrator.Cli.Tests.Api;

/// <summary><c>GET /api/pipelines[/{name}]</c>: what the service loaded from its folder, scheduled, and ran.</summary>
public sealed class PipelinesApiTests
{
    [Test]
    public async Task List_ShowsEveryFileWithLevelTriggersAndErrors()
    {
        var (status, body) = await Serve.GetAsync("/api/pipelines");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body?.ToJsonString());
        var pipelines = body!.AsArray();
        var churn = pipelines.Single(p => p!["file"]!.GetValue<string>() == $"{ServeHarness.Pipeline}.yaml")!;
        var broken = pipelines.Single(p => p!["file"]!.GetValue<string>() == "broken.yaml")!;
        Assert.Multiple(() =>
        {
            Assert.That(pipelines, Has.Count.EqualTo(2));
            Assert.That(churn["name"]!.GetValue<string>(), Is.EqualTo(ServeHarness.Pipeline));
            Assert.That(churn["scheduled"]!.GetValue<bool>(), Is.True);
            Assert.That(churn["level"]!.GetValue<int>(), Is.EqualTo(2), "trained on a schedule, deployed by hand");
            Assert.That(churn["levelName"]!.GetValue<string>(), Is.EqualTo("Automated training"));
            Assert.That(churn["levelReasons"]!.AsArray().Select(r => r!.GetValue<string>()), Has.Some.Contains("deploy"));
            Assert.That(churn["errors"]!.AsArray(), Is.Empty);
            Assert.That(broken["name"], Is.Null);
            Assert.That(broken["scheduled"]!.GetValue<bool>(), Is.False);
            Assert.That(broken["errors"]!.AsArray(), Is.Not.Empty);
            Assert.That(broken["errors"]![0]!["line"]!.GetValue<int>(), Is.GreaterThan(0));
        });
        AssertTrigger(churn["triggers"]!.AsArray().Single()!);
    }

    [Test]
    public async Task Get_Known_ShowsPlanAndLastRuns()
    {
        var story = await ApprovedRunAsync();
        var (status, body) = await Serve.GetAsync($"/api/pipelines/{ServeHarness.Pipeline}");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body?.ToJsonString());
        Assert.Multiple(() =>
        {
            Assert.That(body!["version"]!.GetValue<string>(), Has.Length.EqualTo(64));
            Assert.That(body["owner"]!.GetValue<string>(), Is.EqualTo("growth-analytics"));
            Assert.That(body["order"]!.AsArray().Select(s => s!.GetValue<string>()), Is.EqualTo(new[] { "prep", "train", "evaluate", "deploy" }));
            Assert.That(body["steps"]![3]!["automated"]!.GetValue<bool>(), Is.False);
            Assert.That(body["lastRuns"]!.AsArray().Select(r => r!["runId"]!.GetValue<string>()), Does.Contain(story.RunId));
        });
        AssertTrigger(body!["triggers"]!.AsArray().Single()!);
    }

    [Test]
    public async Task Get_Unknown_Returns404()
    {
        var (status, body) = await Serve.GetAsync("/api/pipelines/nope");
        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(body!["error"]!.GetValue<string>(), Does.Contain("no pipeline named 'nope'"));
    }

    /// <summary>The yearly trigger, scheduled in Quartz, next firing on the coming 1 January at 03:00 UTC.</summary>
    private static void AssertTrigger(JsonNode trigger)
    {
        var next = trigger["next"]!.AsArray().Select(t => DateTimeOffset.Parse(t!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(trigger["id"]!.GetValue<string>(), Is.EqualTo("new-year"));
            Assert.That(trigger["cron"]!.GetValue<string>(), Is.EqualTo("0 0 3 1 1 ?"));
            Assert.That(trigger["scheduled"]!.GetValue<bool>(), Is.True, "Quartz holds the trigger");
            Assert.That(next, Has.Count.EqualTo(3));
            Assert.That(next[0], Is.GreaterThan(DateTimeOffset.UtcNow));
            Assert.That(next.Select(t => (t.UtcDateTime.Month, t.UtcDateTime.Day, t.UtcDateTime.Hour)), Is.All.EqualTo((1, 1, 3)));
        });
    }
}
