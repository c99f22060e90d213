using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using MlOpsOrchestrator.Cli.Tests.Hosting;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;
using static MlOpsOrchestrator.Cli.Tests.Api.ApiSetUp;

namespace MlOpsOrchestrator.Cli.Tests.Api;

/// <summary>
/// <c>GET /api/models</c>, <c>POST /api/models/{name}/promote</c> and <c>.../rollback</c> on the real host. The moves
/// happen on a model of their own (two copies of the deployed version), so the served <c>churn-api</c> stays put.
/// </summary>
public sealed class ModelAliasApiTests
{
    private const string Deployed = "churn-api";
    private const string Moved = "churn-api-moves";
    private const string LocalCaller = "local (127.0.0.1, api)";

    [OneTimeSetUp]
    public async Task RegisterTwoVersions()
    {
        var story = await ApprovedRunAsync();
        Assert.That(story.Final?["status"]!.GetValue<string>(), Is.EqualTo("succeeded"), "the alias tests need the run deployed");
        var registry = Serve.Services.GetRequiredService<IModelRegistry>();
        var source = (await registry.GetAsync(Deployed, 1, CancellationToken.None))!;
        await ModelVersionCopies.RegisterAsync(Serve.Services, source with { Name = Moved }, "moves-run-1");
        await ModelVersionCopies.RegisterAsync(Serve.Services, source with { Name = Moved }, "moves-run-2");
    }

    [Test]
    public async Task ListModels_ShowsEachModelWithItsProductionVersionMetricsAndDeployTime()
    {
        var (status, body) = await Serve.GetAsync("/api/models");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body?.ToJsonString());
        var deployed = body!.AsArray().Single(m => m!["name"]!.GetValue<string>() == Deployed)!;
        Assert.Multiple(() =>
        {
            Assert.That(deployed["production"]!.GetValue<int>(), Is.GreaterThanOrEqualTo(1));
            Assert.That(deployed["latestVersion"]!.GetValue<int>(), Is.GreaterThanOrEqualTo(deployed["production"]!.GetValue<int>()));
            Assert.That(deployed["primaryMetric"]!.GetValue<string>(), Is.EqualTo("auc"));
            Assert.That(deployed["metrics"]!["auc"]!.GetValue<double>(), Is.GreaterThan(0.7));
            Assert.That(DateTimeOffset.Parse(deployed["deployedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(DateTimeOffset.UtcNow.AddHours(-1)));
        });
    }

    [Test]
    public async Task PromoteThenRollback_MovesProductionAndRecordsTheCallerAndReasons()
    {
        var (first, one) = await Serve.PostAsync($"/api/models/{Moved}/promote", """{ "version": 1 }""");
        Assert.That(first, Is.EqualTo(HttpStatusCode.OK), one?.ToJsonString());
        var (second, two) = await Serve.PostAsync($"/api/models/{Moved}/promote", """{ "version": 2, "reason": "better auc on May data", "alias": "production" }""");
        Assert.That(second, Is.EqualTo(HttpStatusCode.OK), two?.ToJsonString());
        var (back, rolled) = await Serve.PostAsync($"/api/models/{Moved}/rollback", """{ "reason": "latency doubled" }""");
        Assert.That(back, Is.EqualTo(HttpStatusCode.OK), rolled?.ToJsonString());

        var (_, model) = await Serve.GetAsync($"/api/models/{Moved}");
        var history = model!["aliasHistory"]!.AsArray().Where(h => h!["alias"]!.GetValue<string>() == "production").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(two!["version"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(two["previousVersion"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(rolled!["version"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(rolled["previousVersion"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(model["aliases"]!["production"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(history.Select(h => h!["by"]!.GetValue<string>()), Is.All.EqualTo(LocalCaller));
            Assert.That(history[1]!["reason"]!.GetValue<string>(), Does.Contain("better auc on May data"));
            Assert.That(history[2]!["reason"]!.GetValue<string>(), Does.StartWith("rollback from version 2").And.Contain("latency doubled"));
        });
    }

    [Test]
    public async Task Promote_WithApiTokenFromElsewhere_RecordsTheTokenCallerAndTheNamedPerson()
    {
        var (status, change) = await Serve.PostAsync($"/api/models/{Moved}/promote", """{ "version": 2, "alias": "remote-check", "by": "bob" }""", remoteToken: ServeHarness.ApiToken);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), change?.ToJsonString());
        Assert.That(change!["by"]!.GetValue<string>(), Is.EqualTo($"token ({ServeHarness.RemoteAddress}, api) for bob"));
    }

    [Test]
    public async Task Rollback_AliasSetOnlyOnce_Returns409AndLeavesIt()
    {
        var (promoted, _) = await Serve.PostAsync($"/api/models/{Moved}/promote", """{ "version": 2, "alias": "first-only" }""");
        Assert.That(promoted, Is.EqualTo(HttpStatusCode.OK));
        var (status, body) = await Serve.PostAsync($"/api/models/{Moved}/rollback", """{ "alias": "first-only" }""");
        Assert.That(status, Is.EqualTo(HttpStatusCode.Conflict), body?.ToJsonString());
        Assert.That(body!["error"]!.GetValue<string>(), Does.Contain("no earlier version"));
        var (_, model) = await Serve.GetAsync($"/api/models/{Moved}");
        Assert.That(model!["aliases"]!["first-only"]!.GetValue<int>(), Is.EqualTo(2));
    }

    [Test]
    public async Task Rollback_AliasNeverSet_Returns404NamingTheAlias()
    {
        var (status, body) = await Serve.PostAsync($"/api/models/{Moved}/rollback", """{ "alias": "never-set" }""");
        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound), body?.ToJsonString());
        Assert.That(body!["error"]!.GetValue<string>(), Does.Contain("no alias 'never-set'"));
    }

    [TestCase("promote", """{ "version": 1 }""")]
    [TestCase("rollback", "{}")]
    public async Task Move_UnknownModel_Returns404NamingTheModels(string action, string body)
    {
        var (status, answer) = await Serve.PostAsync($"/api/models/no-such-model/{action}", body);
        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound), answer?.ToJsonString());
        Assert.That(answer!["error"]!.GetValue<string>(), Does.Contain("no model named 'no-such-model'").And.Contain(Deployed));
    }

    [Test]
    public async Task Promote_UnknownVersion_Returns404NamingTheVersions()
    {
        var (status, body) = await Serve.PostAsync($"/api/models/{Moved}/promote", """{ "version": 99 }""");
        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound), body?.ToJsonString());
        Assert.That(body!["error"]!.GetValue<string>(), Does.Contain("has no version 99").And.Contain("versions: 1, 2"));
    }

    [TestCase("promote", "", "'version'")]
    [TestCase("promote", "{}", "'version' is required")]
    [TestCase("promote", """{ "version": "2" }""", "'version' must be a whole number")]
    [TestCase("promote", """{ "version": 1.5 }""", "'version' must be a whole number")]
    [TestCase("promote", """{ "version": 1, "alias": "two words" }""", "'alias'")]
    [TestCase("promote", """{ "version": 1, "reason": 5 }""", "'reason' must be a string")]
    [TestCase("promote", """{ "version": 1, "force": true }""", "unknown field(s) 'force'")]
    [TestCase("rollback", """{ "version": 1 }""", "unknown field(s) 'version'")]
    [TestCase("rollback", """{ "alias": "" }""", "'alias'")]
    [TestCase("rollback", "[1]", "must be a JSON object")]
    public async Task Move_BadBody_Returns400NamingTheField(string action, string body, string message)
    {
        var (status, answer) = await Serve.PostAsync($"/api/models/{Moved}/{action}", body);
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), answer?.ToJsonString());
        Assert.That(answer!["error"]!.GetValue<string>(), Does.Contain(message));
    }

    [Test]
    public async Task Promote_ViewerToken_Returns403AndMovesNothing()
    {
        var (status, body) = await Serve.PostAsync($"/api/models/{Moved}/promote", """{ "version": 1, "alias": "viewer-try" }""", remoteToken: ServeHarness.ViewerToken);
        Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden), body?.ToJsonString());
        var (_, model) = await Serve.GetAsync($"/api/models/{Moved}");
        Assert.That(model!["aliases"]!["viewer-try"], Is.Null);
    }

    [Test]
    public async Task Promote_FromAPageOfAnotherOrigin_Returns403AndMovesNothing()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/models/{Moved}/promote")
        {
            Content = new StringContent("""{ "version": 1, "alias": "csrf-try" }""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Origin", "http://evil.example");
        var answer = await Serve.SendRawAsync(request);
        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.Forbidden), answer.Text);
        var (_, model) = await Serve.GetAsync($"/api/models/{Moved}");
        Assert.That(model!["aliases"]!["csrf-try"], Is.Null);
    }
}
