using System.Net;
using System.Text.Json.Nodes;
using MlOpsOrchestrator.Cli.Tests.Runs;
using MlOpsOrchestrator.Cli.Tests.Support;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;
using static MlOpsOrchestrator.Cli.Tests.Runs.RunJson;

namespace MlOpsOrchestrator.Cli.Tests.Notifications;

/// <summary>
/// <c>notify:</c> and <c>MLOPS_NOTIFY_WEBHOOKS</c> end to end: real runs of <c>mlops run</c> and <c>mlops approve</c>
/// (real training on the quickstart's data) post their events to a real HTTP listener, as a JSON body Slack and Teams
/// accept; a webhook that fails or is down is retried, then given up with a warning, and never changes the run.
/// </summary>
[TestFixture]
[NonParallelizable] // The session and the default webhooks are process environment variables.
public sealed class NotificationTests
{
    private CliSession _session = null!;

    [SetUp]
    public async Task SetUp()
    {
        _session = await CliSession.OpenAsync(StorageEngine.Sqlite);
        var data = Directory.CreateDirectory(_session.Temp.Combine("data")).FullName;
        File.Copy(RepositoryPaths.Combine("samples", "bike-rentals", "data", "bike-rentals.csv"), Path.Combine(data, "bike-rentals.csv"));
    }

    [TearDown]
    public void TearDown() => _session?.Dispose();

    [Test]
    public async Task Run_GatesPassAndDeploys_ModelDeployedPostedAsSlackAndTeamsJson()
    {
        using var hook = new WebhookListener();
        var file = Pipeline("demand", minRSquared: 0.1, automated: true, notify: $"notify:\n  - url: {hook.Url()}\n");

        var (_, run) = await _session.JsonAsync(0, "run", file);

        var delivered = hook.Delivered;
        Assert.That(delivered, Has.Count.EqualTo(1), Describe(hook));
        var body = delivered[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Status(run), Is.EqualTo("succeeded"));
            Assert.That(Text(body, "event"), Is.EqualTo("model_deployed"));
            Assert.That(Text(body, "text"), Does.Contain("demand").And.Contain(RunId(run)).And.Contain("version 1 deployed to production"));
            Assert.That(Text(body, "pipeline"), Is.EqualTo("demand"));
            Assert.That(Text(body, "run_id"), Is.EqualTo(RunId(run)));
            Assert.That(Text(body, "step"), Is.EqualTo("deploy"));
            Assert.That(hook.Received.Single().Path, Is.EqualTo("/services/T000/B000/XXXXsecretXXXX"));
        }
    }

    [Test]
    public async Task Run_GateFails_GateFailedAndRunFailed_EachWebhookGetsOnlyItsEvents()
    {
        using var all = new WebhookListener();
        using var failures = new WebhookListener();
        var file = Pipeline("demand", minRSquared: 0.999, automated: true,
            notify: $"notify:\n  - url: {all.Url()}\n  - url: {failures.Url()}\n    on: [run_failed]\n");

        var (_, run) = await _session.JsonAsync(1, "run", file);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Status(run), Is.EqualTo("failed"));
            Assert.That(all.Delivered.Select(b => Text(b, "event")), Is.EquivalentTo(new[] { "gate_failed", "run_failed" }), Describe(all));
            Assert.That(failures.Delivered.Select(b => Text(b, "event")), Is.EqualTo(new[] { "run_failed" }), Describe(failures));
            Assert.That(all.Delivered.Where(b => Text(b, "event") == "gate_failed").Select(b => Text(b, "text")), Has.One.Contain("failed its gates").And.Contain("r_squared"));
            Assert.That(Text(failures.Delivered.Single(), "text"), Does.Contain($"run {RunId(run)}").And.Contain("failed"));
        }
    }

    [Test]
    public async Task RunThenApprove_ManualDeploy_WaitingForApprovalThenModelDeployed_FromTheEnvironmentDefault()
    {
        using var hook = new WebhookListener();
        using var environment = EnvironmentScope.Set(("MLOPS_NOTIFY_WEBHOOKS", hook.Url()), ("MLOPS_NOTIFY_EVENTS", "waiting_for_approval,model_deployed"), ("MLOPS_PUBLIC_URL", "https://mlops.example.com/"));
        var file = Pipeline("demand", minRSquared: 0.1, automated: false, notify: "");

        var (_, waiting) = await _session.JsonAsync(3, "run", file);
        var afterRun = hook.Delivered;
        var (_, approved) = await _session.JsonAsync(0, "approve", RunId(waiting), "deploy");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(afterRun.Select(b => Text(b, "event")), Is.EqualTo(new[] { "waiting_for_approval" }), Describe(hook));
            Assert.That(Text(afterRun[0], "text"), Does.Contain($"mlops approve {RunId(waiting)} deploy"));
            Assert.That(Text(afterRun[0], "run_url"), Is.EqualTo($"https://mlops.example.com/hangfire/runs/{RunId(waiting)}"));
            Assert.That(Text(afterRun[0], "text"), Does.EndWith($"https://mlops.example.com/hangfire/runs/{RunId(waiting)}"), "the link is in the text chat apps show");
            Assert.That(Status(approved), Is.EqualTo("succeeded"));
            Assert.That(hook.Delivered.Select(b => Text(b, "event")), Is.EqualTo(new[] { "waiting_for_approval", "model_deployed" }), Describe(hook));
        }
    }

    [Test]
    public async Task WatchRun_MonitorFindsDrift_DriftFoundPostedWithTheColumn_RunStillSucceeds()
    {
        using var hook = new WebhookListener();
        var data = _session.Temp.Combine("data", "bike-rentals.csv");
        var rows = File.ReadAllLines(data);
        File.WriteAllLines(data, rows.TakeWhile(r => !r.StartsWith("2025-08-20", StringComparison.Ordinal)));
        var file = _session.Temp.Combine("watched.yaml");
        File.WriteAllText(file, $$"""
            version: 1
            name: watched
            data:
              source: { type: csv, path: data/bike-rentals.csv }
              timestamp: ts
              label: rentals
              schema:
                ts: { type: datetime }
                season: { type: categorical }
                weekday: { type: categorical }
                weather: { type: categorical }
                holiday: { type: boolean }
                humidity: { type: float, missing: mean }
                note: { type: text }
            triggers:
              - { id: nightly, cron: "0 0 3 * * ?", steps: [prep, train, evaluate, deploy] }
              - { id: watch, cron: "0 0 4 * * ?", steps: [monitor] }
            steps:
              - { id: prep, kind: data_prep, split: { by: time, test_fraction: 0.2 } }
              - { id: train, kind: train, needs: [prep], task: regression, trainer: sdca }
              - { id: evaluate, kind: evaluate, needs: [train], primary_metric: rmse }
              - { id: deploy, kind: deploy, needs: [evaluate] }
              - { id: monitor, kind: monitor, needs: [deploy], window: 14d, drift: { method: psi, threshold: 0.2 }, reference: previous_window }
            notify:
              - url: {{hook.Url()}}
                on: [drift_found]

            """);
        await _session.JsonAsync(0, "run", file, "--trigger", "nightly");

        // Newer rows arrive, into September: the watch's window crosses from summer into autumn, past the model's data.
        File.WriteAllLines(data, rows);
        var (_, watch) = await _session.JsonAsync(0, "run", file, "--trigger", "watch");

        var delivered = hook.Delivered;
        Assert.That(delivered, Has.Count.EqualTo(1), Describe(hook) + "\n" + Step(watch, "monitor")?.ToJsonString());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Status(watch), Is.EqualTo("succeeded"), "drift is a finding, not a failure");
            Assert.That(Text(delivered[0], "event"), Is.EqualTo("drift_found"));
            Assert.That(Text(delivered[0], "step"), Is.EqualTo("monitor"));
            Assert.That(Text(delivered[0], "text"), Does.Contain($"step 'monitor' of run {RunId(watch)} found drift on model version 1").And.Contain("season"));
        }
    }

    [Test]
    public async Task Run_WebhookAnswers500Once_RetriedAndDelivered_RunUnchanged()
    {
        using var hook = new WebhookListener(HttpStatusCode.InternalServerError);
        var file = Pipeline("demand", minRSquared: 0.1, automated: true, notify: $"notify:\n  - url: {hook.Url()}\n");

        var (_, run) = await _session.JsonAsync(0, "run", file);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Status(run), Is.EqualTo("succeeded"));
            Assert.That(hook.Received.Select(r => (int)r.Answer), Is.EqualTo(new[] { 500, 200 }), "one retry after the 500");
            Assert.That(hook.Received.Select(r => Text(r.Body, "event")), Is.All.EqualTo("model_deployed"));
        }
    }

    [Test]
    public async Task Run_WebhookDownOrAlways500_RunEndsTheSame_GivesUpWithAWarningThatKeepsTheAddressSecret()
    {
        using var failing = new WebhookListener(HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError);
        var down = $"http://127.0.0.1:{WebhookListener.FreePort()}/services/T000/B000/DOWNsecretDOWN";
        var file = Pipeline("demand", minRSquared: 0.999, automated: true, notify: $"notify:\n  - url: {down}\n  - url: {failing.Url()}\n    on: [run_failed]\n");

        var (_, run) = await _session.JsonAsync(1, "run", file);

        var log = string.Join('\n', Directory.GetFiles(Path.Combine(_session.Home, "logs")).Select(File.ReadAllText));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Status(run), Is.EqualTo("failed"));
            Assert.That(Str(Step(run, "evaluate"), "error"), Does.Contain("r_squared"), "failed by its gate, as without webhooks");
            Assert.That(failing.Received.Select(r => (int)r.Answer), Is.EqualTo(new[] { 500, 500, 500 }), "three tries, then given up");
            Assert.That(log, Does.Contain("Gave up notifying").And.Contain("\"@l\":\"Warning\""));
            Assert.That(log, Does.Contain("http://127.0.0.1:"));
            Assert.That(log, Does.Not.Contain("DOWNsecretDOWN").And.Not.Contain("XXXXsecretXXXX"), "a webhook's path is its secret");
        }
    }

    private static string Text(JsonObject body, string name) => body[name]?.GetValue<string>() ?? "";

    private static string Describe(WebhookListener hook) =>
        "received:\n" + string.Join('\n', hook.Received.Select(r => $"{(int)r.Answer} {r.Body.ToJsonString()}"));

    /// <summary>The quickstart's data with one linear trainer, an r_squared gate and a deploy step; <paramref name="notify"/> as given.</summary>
    private string Pipeline(string name, double minRSquared, bool automated, string notify)
    {
        var yaml = $"""
            version: 1
            name: {name}
            data:
              source: {"{"} type: csv, path: data/bike-rentals.csv {"}"}
              timestamp: ts
              label: rentals
              schema:
                ts: {"{"} type: datetime {"}"}
                season: {"{"} type: categorical {"}"}
                weekday: {"{"} type: categorical {"}"}
                weather: {"{"} type: categorical {"}"}
                holiday: {"{"} type: boolean {"}"}
                humidity: {"{"} type: float, missing: mean {"}"}
                note: {"{"} type: text {"}"}
            steps:
              - {"{"} id: prep, kind: data_prep, split: {"{"} by: time, test_fraction: 0.2 {"}"} {"}"}
              - {"{"} id: train, kind: train, needs: [prep], task: regression, trainer: sdca {"}"}
              - id: evaluate
                kind: evaluate
                needs: [train]
                primary_metric: rmse
                gates:
                  r_squared: {"{"} min: {minRSquared.ToString(System.Globalization.CultureInfo.InvariantCulture)} {"}"}
              - {"{"} id: deploy, kind: deploy, needs: [evaluate], automated: {(automated ? "true" : "false")} {"}"}

            """ + notify;
        var file = _session.Temp.Combine("pipeline.yaml");
        File.WriteAllText(file, yaml);
        return file;
    }
}
