using System.Net;
using Microsoft.Extensions.DependencyInjection;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Scheduling.Tests.Hangfire;
using MlOpsOrchestrator.Storage;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;

namespace MlOpsOrchestrator.Scheduling.Tests.Dashboard;

/// <summary>
/// The dashboard as a person uses it, on a real Kestrel host with Hangfire (in memory) executing real runs over SQLite:
/// runs started through <see cref="RunStarter"/> are executed by the Hangfire server, a manual deploy waits, and the
/// approve button continues the run through the queue.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DashboardFlowTests
{
    private ChurnWorld _world = null!;
    private StorageSet _storage = null!;
    private DashboardHost _host = null!;

    private IRunRepository Runs => _storage.Runs;

    [OneTimeSetUp]
    public async Task StartHost()
    {
        _world = await ChurnWorld.CreateAsync();
        _storage = await MlOpsStorage.OpenSqliteAsync(_world.Home, CancellationToken.None);
        _host = await DashboardHost.StartAsync(_storage, _world);
    }

    [OneTimeTearDown]
    public async Task StopHost()
    {
        await _host.DisposeAsync();
        await _storage.DisposeAsync();
        _world.Dispose();
    }

    [Test]
    public async Task RunStarter_AutomatedPipeline_ExecutedByHangfireServerToSuccess_AndNamedOnStockJobsPage()
    {
        var started = await StartAsync(ChurnWorld.Auto);
        Assert.That(started.Outcome, Is.EqualTo(StartOutcome.Queued));

        var run = await RunWait.StatusAsync(Runs, started.Run.RunId, RunStatus.Succeeded);
        Assert.That(run.Model?.Name, Is.EqualTo(ChurnWorld.Auto));

        using var client = _host.Client();
        var expected = $"run {run.RunId} · trigger manual · level {run.Level}";
        var page = "";
        for (var attempt = 0; attempt < 100 && !page.Contains(expected); attempt++)
        {
            page = await DashboardHost.ReadAsync(await client.GetAsync("/hangfire/jobs/succeeded"));
            await Task.Delay(100);
        }

        Assert.That(page, Does.Contain(expected), "the stock dashboard names the job by run, trigger and level");
    }

    [Test]
    public async Task ManualDeploy_WaitsThenApprovalPostedOnRunPage_ContinuesThroughQueueToSuccess()
    {
        var run = await WaitingRunAsync();
        using var client = _host.Client();

        var response = await client.GetAsync($"/hangfire/runs/{run.RunId}");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(html, Does.Contain("data-level=\"1\""), "level badge");
            Assert.That(html, Does.Contain("level 1 · DevOps, no MLOps").Or.Contain("level 1 &#183; DevOps, no MLOps"));
            Assert.That(html, Does.Contain("data-step=\"prep\"").And.Contain("data-step=\"train\"").And.Contain("data-step=\"evaluate\"").And.Contain("data-step=\"deploy\""));
            Assert.That(html, Does.Contain("data-status=\"awaiting_approval\""));
            Assert.That(html, Does.Contain("auc "), "the evaluate step's metrics");
            Assert.That(html, Does.Contain($"action=\"/hangfire/runs/{run.RunId}/steps/deploy/approve\""));
        });

        var approve = await _host.PostFormAsync(client, $"/hangfire/runs/{run.RunId}/steps/deploy/approve", DashboardHost.Token(html));
        Assert.That(approve.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther), await approve.Content.ReadAsStringAsync());
        Assert.That(approve.Headers.Location?.ToString(), Is.EqualTo($"/hangfire/runs/{run.RunId}"));

        var done = await RunWait.StatusAsync(Runs, run.RunId, RunStatus.Succeeded);
        var steps = (await Runs.GetStepsAsync(run.RunId, CancellationToken.None)).ToDictionary(s => s.StepId);
        Assert.Multiple(() =>
        {
            Assert.That(steps["deploy"].Status, Is.EqualTo(StepStatus.Succeeded));
            Assert.That(steps["deploy"].DecidedBy, Is.EqualTo("local (127.0.0.1, dashboard)"));
            Assert.That(steps["train"].Attempts, Is.EqualTo(1), "approving does not train again");
            Assert.That(done.Model?.Name, Is.EqualTo(ChurnWorld.Manual));
        });

        var after = await (await client.GetAsync($"/hangfire/runs/{run.RunId}")).Content.ReadAsStringAsync();
        Assert.That(after, Does.Contain("data-status=\"succeeded\"").And.Not.Contain("/approve\""));
    }

    [Test]
    public async Task Reject_WithoutReasonIsRefused_WithReasonCancelsTheRunThroughTheQueue()
    {
        var run = await WaitingRunAsync();
        using var client = _host.Client();
        var token = DashboardHost.Token(await (await client.GetAsync($"/hangfire/runs/{run.RunId}")).Content.ReadAsStringAsync());
        var path = $"/hangfire/runs/{run.RunId}/steps/deploy/reject";

        var empty = await _host.PostFormAsync(client, path, token, [new("reason", "  ")]);
        Assert.That(empty.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await DashboardHost.ReadAsync(empty), Does.Contain("needs a reason"));

        var reject = await _host.PostFormAsync(client, path, token, [new("reason", "AUC too low for <production>")]);
        Assert.That(reject.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
        var cancelled = await RunWait.StatusAsync(Runs, run.RunId, RunStatus.Cancelled);
        Assert.That(cancelled.Error, Does.Contain("rejected by local (127.0.0.1, dashboard): AUC too low for <production>"));

        var page = await (await client.GetAsync($"/hangfire/runs/{run.RunId}")).Content.ReadAsStringAsync();
        Assert.That(page, Does.Contain("AUC too low for &lt;production&gt;").And.Not.Contain("<production>"), "values are HTML-encoded");

        var again = await _host.PostFormAsync(client, path, token, [new("reason", "twice")]);
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await DashboardHost.ReadAsync(again), Does.Contain("not awaiting approval"));
    }

    [Test]
    public async Task PipelinesPage_ShowsLevelBadgesReasonsNextFireTimesLastRunsAndLoadErrors()
    {
        var run = await WaitingRunAsync();
        using var client = _host.Client();
        var response = await client.GetAsync("/hangfire/pipelines");
        var html = await response.Content.ReadAsStringAsync();
        var text = WebUtility.HtmlDecode(html);
        var manual = _world.Definition(ChurnWorld.Manual);
        var auto = _world.Definition(ChurnWorld.Auto);
        var next = Planning.PlanBuilder.Build(auto, Cron.QuartzCronEvaluator.Instance, DateTimeOffset.UtcNow).Triggers.Single().Next;
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(html, Does.Contain($"data-pipeline=\"{ChurnWorld.Manual}\"").And.Contain($"data-pipeline=\"{ChurnWorld.Auto}\""));
            Assert.That(html, Does.Contain($"data-level=\"{manual.Maturity.Level}\"").And.Contain($"data-level=\"{auto.Maturity.Level}\""));
            Assert.That(manual.Maturity.Blockers, Is.Not.Empty);
            foreach (var blocker in manual.Maturity.Blockers)
            {
                Assert.That(text, Does.Contain(blocker), "each rule that blocks a higher level");
            }

            Assert.That(text, Does.Contain("cron 0 0 3 * * ?"));
            Assert.That(text, Does.Contain(next[0].UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture)), "next fire time from Quartz's rules");
            Assert.That(html, Does.Contain($"href=\"/hangfire/runs/{run.RunId}\""), "last runs");
            Assert.That(html, Does.Contain("mlops-load-errors"), "a broken file is shown prominently");
            Assert.That(text, Does.Contain($"{ChurnWorld.BrokenFile} does not load"));
            Assert.That(text, Does.Contain("trainr"), "the validator's message");
            Assert.That(html, Does.Contain("&lt;script&gt;").And.Not.Contain("<script>alert"), "YAML text in messages is encoded");
            Assert.That(html, Does.Contain("href=\"/hangfire/pipelines\"").And.Contain("href=\"/hangfire/runs\"").And.Contain("href=\"/hangfire/models\""), "menu items");
        });
    }

    [Test]
    public async Task PipelinesPage_LastReplay_ShownWhenSavedAsTableAndChartImage()
    {
        var replays = new SavedReplays(_world.Home);
        const string Svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script><polyline points=\"0,0 1,1\"/></svg>";
        await replays.SaveAsync(ChurnWorld.Auto, ReplayJson, Svg, CancellationToken.None);
        try
        {
            using var client = _host.Client();
            var html = await (await client.GetAsync("/hangfire/pipelines")).Content.ReadAsStringAsync();
            var auto = Panel(html, ChurnWorld.Auto);
            var manual = Panel(html, ChurnWorld.Manual);
            var chart = "data:image/svg+xml;base64," + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Svg));
            Assert.Multiple(() =>
            {
                Assert.That(auto, Does.Contain("Last replay").And.Contain("mlops-replay-table"));
                Assert.That(WebUtility.HtmlDecode(auto), Does.Contain("<td>policy</td><td>41.5</td><td>12</td><td>5</td><td>1</td>")
                    .And.Contain("<td>full:0 0 2 * * ?</td><td>43.25</td><td>30</td><td>28</td><td>9</td>"), "metric, runs, deploys, regressive deploys per schedule");
                Assert.That(auto, Does.Contain($"<img class=\"mlops-replay-chart\"").And.Contain($"src=\"{chart}\""), "the chart as an image");
                Assert.That(html, Does.Not.Contain("<script>alert(1)"), "the SVG's markup is never inlined");
                Assert.That(manual, Does.Not.Contain("Last replay"), "no section without a saved replay");
            });
        }
        finally
        {
            Directory.Delete(replays.FolderOf(ChurnWorld.Auto), recursive: true);
        }
    }

    private const string ReplayJson = """
        {"pipeline":"churn-auto","from":"2025-01-13T11:00:00+00:00","to":"2025-03-01T23:00:00+00:00","metric":"rmse","period":"week",
         "policy":{"value":41.5,"runs":12,"deploys":5,"regressiveDeploys":1},
         "baselines":[{"name":"full:0 0 2 * * ?","value":43.25,"runs":30,"deploys":28,"regressiveDeploys":9}],"periods":[]}
        """;

    /// <summary>The HTML of one pipeline's panel, up to the next pipeline's.</summary>
    private static string Panel(string html, string pipeline)
    {
        var start = html.IndexOf($"data-pipeline=\"{pipeline}\"", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), $"a panel for {pipeline}");
        var end = html.IndexOf("data-pipeline=", start + 1, StringComparison.Ordinal);
        return end < 0 ? html[start..] : html[start..end];
    }

    [Test]
    public async Task RunsPage_ListsRunsNewestFirst()
    {
        var launcher = _host.Services.GetRequiredService<RunLauncher>();
        await launcher.LaunchAsync(_world.Request(ChurnWorld.Manual, "first"), CancellationToken.None);
        await Task.Delay(1100); // run ids and creation times have one-second resolution in the id
        await launcher.LaunchAsync(_world.Request(ChurnWorld.Manual, "second"), CancellationToken.None);

        using var client = _host.Client();
        var html = await (await client.GetAsync($"/hangfire/runs?pipeline={ChurnWorld.Manual}")).Content.ReadAsStringAsync();
        var stored = await Runs.ListAsync(ChurnWorld.Manual, 100, CancellationToken.None);
        var shown = System.Text.RegularExpressions.Regex.Matches(html, "data-run=\"(?<id>[^\"]+)\"").Select(m => m.Groups["id"].Value).ToList();
        Assert.That(shown, Is.EqualTo(stored.Select(r => r.RunId)));
        Assert.That(shown.Count, Is.GreaterThanOrEqualTo(2));
        Assert.That(stored.Select(r => r.CreatedAt), Is.Ordered.Descending);
    }

    [Test]
    public async Task ModelsPages_PromoteAndRollback_MoveProductionAndAreAudited()
    {
        for (var i = 0; i < 2; i++)
        {
            var started = await StartAsync(ChurnWorld.Auto);
            await RunWait.StatusAsync(Runs, started.Run.RunId, RunStatus.Succeeded);
        }

        var registry = _storage.Registry;
        var newest = (await registry.ListVersionsAsync(ChurnWorld.Auto, CancellationToken.None)).Max(v => v.Version);
        Assert.That((await registry.GetAliasesAsync(ChurnWorld.Auto, CancellationToken.None))["production"], Is.EqualTo(newest));
        using var client = _host.Client();
        var list = await (await client.GetAsync("/hangfire/models")).Content.ReadAsStringAsync();
        Assert.That(list, Does.Contain($"href=\"/hangfire/models/{ChurnWorld.Auto}\""));

        var page = await (await client.GetAsync($"/hangfire/models/{ChurnWorld.Auto}")).Content.ReadAsStringAsync();
        Assert.That(WebUtility.HtmlDecode(page), Does.Contain($"Roll back production: version {newest} → version {newest - 1}"));
        var rollback = await _host.PostFormAsync(client, $"/hangfire/models/{ChurnWorld.Auto}/rollback", DashboardHost.Token(page), [new("alias", "production")]);
        Assert.That(rollback.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
        var history = await registry.GetAliasHistoryAsync(ChurnWorld.Auto, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(history[^1].Version, Is.EqualTo(newest - 1));
            Assert.That(history[^1].PreviousVersion, Is.EqualTo(newest));
            Assert.That(history[^1].By, Is.EqualTo("local (127.0.0.1, dashboard)"));
            Assert.That(history[^1].Reason, Is.EqualTo($"rollback from version {newest}"));
        });

        page = await (await client.GetAsync($"/hangfire/models/{ChurnWorld.Auto}")).Content.ReadAsStringAsync();
        var promote = await _host.PostFormAsync(client, $"/hangfire/models/{ChurnWorld.Auto}/promote", DashboardHost.Token(page), [new("alias", "production"), new("version", $"{newest}")]);
        Assert.That(promote.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
        Assert.That((await registry.GetAliasesAsync(ChurnWorld.Auto, CancellationToken.None))["production"], Is.EqualTo(newest));
        page = WebUtility.HtmlDecode(await (await client.GetAsync($"/hangfire/models/{ChurnWorld.Auto}")).Content.ReadAsStringAsync());
        Assert.That(page, Does.Contain("rollback from version").And.Contain("promote").And.Contain("auc "), "alias history and metrics");

        var unknown = await _host.PostFormAsync(client, $"/hangfire/models/{ChurnWorld.Auto}/promote", DashboardHost.Token(page), [new("version", "999")]);
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task ModelPage_LiveComparison_ShowsProductionAgainstTheCanary_AndWithdrawRemovesTheCanaryAudited()
    {
        var registry = _storage.Registry;
        var name = "fare-live";
        foreach (var run in new[] { "live-1", "live-2" })
        {
            await registry.RegisterAsync(new ModelVersion
            {
                Name = name, Version = 0, RunId = run, StepId = "deploy", PipelineVersion = "v", DataHash = "h", ArtifactPath = $"{name}/{run}.zip",
                Metrics = new Dictionary<string, double>(), Properties = new Dictionary<string, string>(), CreatedAt = DateTimeOffset.UtcNow.AddHours(-2),
            }, CancellationToken.None);
        }

        await registry.MoveAliasAsync(name, "production", 1, "deploy", null, DateTimeOffset.UtcNow.AddHours(-1), CancellationToken.None);
        await registry.MoveAliasAsync(name, "canary", 2, "deploy", null, DateTimeOffset.UtcNow.AddMinutes(-30), CancellationToken.None);
        await _storage.Predictions.AppendAsync(
        [
            new PredictionRecord(name, 1, DateTimeOffset.UtcNow.AddMinutes(-20), "{}", "{\"score\":12}", 4, "production", "a"),
            new PredictionRecord(name, 1, DateTimeOffset.UtcNow.AddMinutes(-19), "{}", "{\"score\":8}", 6, "production", "b"),
            new PredictionRecord(name, 2, DateTimeOffset.UtcNow.AddMinutes(-18), "{}", "{\"score\":11}", 9, "canary", "c"),
        ], CancellationToken.None);
        await _storage.Feedback.AddAsync(name, [Stores.FeedbackLabel.ForPrediction("a", "10"), Stores.FeedbackLabel.ForPrediction("b", "10"), Stores.FeedbackLabel.ForPrediction("c", "10")],
            "test", DateTimeOffset.UtcNow, CancellationToken.None);
        using var client = _host.Client();

        var page = await DashboardHost.ReadAsync(await client.GetAsync($"/hangfire/models/{name}"));
        var live = page[page.IndexOf("Live comparison", StringComparison.Ordinal)..page.IndexOf("<h3>Monitoring", StringComparison.Ordinal)];
        Assert.Multiple(() =>
        {
            Assert.That(live, Does.Contain("<tr data-alias=\"production\"><td>production</td><td>v1</td><td>rmse 2 mae 2</td><td>2</td><td>66.6667%</td><td>6 ms</td>"));
            Assert.That(live, Does.Contain("<tr data-alias=\"canary\"><td>canary</td><td>v2</td><td>rmse 1 mae 1</td><td>1</td><td>33.3333%</td><td>9 ms</td>"));
            Assert.That(live, Does.Contain("Withdraw canary").And.Contain("Promote canary to production").And.Contain("confirm('Withdraw canary"));
        });

        var production = await _host.PostFormAsync(client, $"/hangfire/models/{name}/withdraw", DashboardHost.Token(page), [new("alias", "production")]);
        var withdrawn = await _host.PostFormAsync(client, $"/hangfire/models/{name}/withdraw", DashboardHost.Token(page), [new("alias", "canary"), new("reason", "slower")]);

        Assert.That((production.StatusCode, withdrawn.StatusCode), Is.EqualTo((HttpStatusCode.BadRequest, HttpStatusCode.SeeOther)));
        Assert.That(await registry.GetAliasesAsync(name, CancellationToken.None), Is.EqualTo(new Dictionary<string, int> { ["production"] = 1 }));
        var last = (await registry.GetAliasHistoryAsync(name, CancellationToken.None))[^1];
        Assert.That((last.Alias, last.Removed, last.By, last.Reason), Is.EqualTo(("canary", true, "local (127.0.0.1, dashboard)", "withdraw: slower")));
    }

    [Test]
    public async Task CrossSitePosts_AreRefused_AndTheRunKeepsWaiting()
    {
        var run = await WaitingRunAsync();
        var path = $"/hangfire/runs/{run.RunId}/steps/deploy/approve";
        using var client = _host.Client();
        var token = DashboardHost.Token(await (await client.GetAsync($"/hangfire/runs/{run.RunId}")).Content.ReadAsStringAsync());
        Assert.That(token, Is.Not.Null);

        var noToken = await _host.PostFormAsync(client, path, token: null);
        var badToken = await _host.PostFormAsync(client, path, token: "CfDJ8-forged-token");
        var foreignOrigin = await _host.PostFormAsync(client, path, token, origin: "http://evil.example");
        using var crossSiteRequest = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent([new("__RequestVerificationToken", token!)]),
        };
        crossSiteRequest.Headers.Add("Sec-Fetch-Site", "cross-site");
        var crossSite = await client.SendAsync(crossSiteRequest);
        using var otherBrowser = _host.Client();
        var tokenWithoutItsCookie = await _host.PostFormAsync(otherBrowser, path, token);
        var get = await client.GetAsync(path);

        Assert.Multiple(() =>
        {
            Assert.That(noToken.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "no antiforgery token");
            Assert.That(badToken.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "forged token");
            Assert.That(foreignOrigin.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "foreign Origin");
            Assert.That(crossSite.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "Sec-Fetch-Site: cross-site");
            Assert.That(tokenWithoutItsCookie.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "a token without its cookie");
            Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed), "actions are POST only");
        });
        Assert.That((await Runs.GetAsync(run.RunId, CancellationToken.None))!.Status, Is.EqualTo(RunStatus.AwaitingApproval));
    }

    [Test]
    public async Task RemoteRequests_NeedAToken_ViewerOnlyReads_ApiTokenActs()
    {
        var run = await WaitingRunAsync();
        var runPath = $"/hangfire/runs/{run.RunId}";
        var approvePath = $"{runPath}/steps/deploy/approve";

        using var anonymous = _host.Client(remoteAddress: "10.0.0.5");
        var denied = await anonymous.GetAsync("/hangfire/runs");
        using var wrong = _host.Client(remoteAddress: "10.0.0.5", authorization: DashboardHost.Bearer("guess"));
        var wrongToken = await wrong.GetAsync("/hangfire/runs");
        Assert.Multiple(() =>
        {
            Assert.That(denied.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(denied.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Basic realm=\"mlops\""), "browsers prompt for the token");
            Assert.That(wrongToken.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        });

        using var viewer = _host.Client(remoteAddress: "10.0.0.5", authorization: DashboardHost.Bearer(DashboardHost.ViewerToken));
        var viewed = await viewer.GetAsync(runPath);
        var viewedHtml = await viewed.Content.ReadAsStringAsync();
        var viewerToken = DashboardHost.Token(viewedHtml);
        var viewerApprove = await _host.PostFormAsync(viewer, approvePath, viewerToken);
        using var stats = new HttpRequestMessage(HttpMethod.Post, "/hangfire/stats") { Content = new FormUrlEncodedContent([new("metrics[]", "enqueued:count")]) };
        stats.Headers.Add("RequestVerificationToken", viewerToken);
        var viewerStats = await viewer.SendAsync(stats);
        Assert.Multiple(() =>
        {
            Assert.That(viewed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(viewedHtml, Does.Contain("read-only access").And.Not.Contain("/approve\""), "no buttons for the viewer");
            Assert.That(viewerToken, Is.Not.Null);
            Assert.That(viewerApprove.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "the viewer token gets 403 on POST");
            Assert.That(viewerStats.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the stock dashboard's statistics poll is a read");
        });
        Assert.That((await Runs.GetAsync(run.RunId, CancellationToken.None))!.Status, Is.EqualTo(RunStatus.AwaitingApproval));

        using var operatorClient = _host.Client(remoteAddress: "10.0.0.5", authorization: DashboardHost.Basic("ops", DashboardHost.ApiToken));
        var page = await (await operatorClient.GetAsync(runPath)).Content.ReadAsStringAsync();
        var approve = await _host.PostFormAsync(operatorClient, approvePath, DashboardHost.Token(page));
        Assert.That(approve.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
        await RunWait.StatusAsync(Runs, run.RunId, RunStatus.Succeeded);
        var deploy = (await Runs.GetStepsAsync(run.RunId, CancellationToken.None)).Single(s => s.StepId == "deploy");
        Assert.That(deploy.DecidedBy, Is.EqualTo("ops (token, 10.0.0.5, dashboard)"), "the basic-auth user with the token, and the address");
    }

    [Test]
    public async Task UnknownRunAndModel_Return404Pages()
    {
        using var client = _host.Client();
        var run = await client.GetAsync("/hangfire/runs/no-such-run");
        var model = await client.GetAsync("/hangfire/models/no-such-model");
        Assert.Multiple(async () =>
        {
            Assert.That(run.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(await DashboardHost.ReadAsync(run), Does.Contain("There is no run 'no-such-run'."));
            Assert.That(model.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    private Task<StartResult> StartAsync(string pipeline) =>
        _host.Services.GetRequiredService<RunStarter>().StartAsync(_world.Request(pipeline), CancellationToken.None);

    /// <summary>A fresh run of the manual pipeline, executed by the Hangfire server up to its deploy approval.</summary>
    private async Task<RunRecord> WaitingRunAsync()
    {
        var started = await StartAsync(ChurnWorld.Manual);
        return await RunWait.StatusAsync(Runs, started.Run.RunId, RunStatus.AwaitingApproval);
    }
}
