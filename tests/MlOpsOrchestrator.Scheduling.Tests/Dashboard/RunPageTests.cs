using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Scheduling.Tests.Hangfire;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Storage;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;

namespace MlOpsOrchestrator.Scheduling.Tests.Dashboard;

/// <summary>
/// The run page shows every decision a run took, on a real Kestrel host over SQLite: the gate table of a real
/// evaluate step, the step graph, the Hangfire jobs both ways; for a watch run that found drift the drift badge and
/// table, the run it started and the steps outside its trigger in grey; each step's log lines.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class RunPageTests
{
    private const string Watch = "churn-watch";

    private ChurnWorld _world = null!;
    private StorageSet _storage = null!;
    private DashboardHost _host = null!;

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
    public async Task WaitingRun_ShowsGateTableNotesStepGraphAndLinksToItsHangfireJobAndBack()
    {
        var started = await _host.Services.GetRequiredService<RunStarter>().StartAsync(_world.Request(ChurnWorld.Manual), CancellationToken.None);
        var run = await RunWait.StatusAsync(_storage.Runs, started.Run.RunId, RunStatus.AwaitingApproval);
        var evaluate = (await _storage.Runs.GetStepsAsync(run.RunId, CancellationToken.None)).Single(s => s.StepId == "evaluate");
        using var client = _host.Client();
        var html = await (await client.GetAsync($"/hangfire/runs/{run.RunId}")).Content.ReadAsStringAsync();
        var text = WebUtility.HtmlDecode(html);
        var auc = evaluate.Metrics["auc"].ToString("0.####", CultureInfo.InvariantCulture);
        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Contain("class=\"table table-condensed mlops-gates\""), "the gate table");
            Assert.That(text, Does.Contain($"<tr data-gate=\"auc\" data-verdict=\"pass\"><td>auc</td><td>{auc}</td><td>—</td><td>min 0.6</td>"),
                "metric, candidate, production (none yet), bound");
            Assert.That(text, Does.Contain("compared with no production model"));
            Assert.That(text, Does.Contain($"<div class=\"mlops-note\">{evaluate.Result!.Note}</div>"), "the step's note");
            Assert.That(html, Does.Contain("<svg class=\"mlops-step-graph\""), "the step graph");
            Assert.That(html, Does.Contain("data-step=\"deploy\" data-status=\"awaiting_approval\""), "graph nodes carry the step's status");
            Assert.That(html, Does.Contain("data-from=\"evaluate\" data-to=\"deploy\""), "an edge per needs");
        });

        var job = JobLink().Match(html);
        Assert.That(job.Success, Is.True, "the run page links to the Hangfire job that executed it");
        var jobPage = WebUtility.HtmlDecode(await (await client.GetAsync(job.Groups["path"].Value)).Content.ReadAsStringAsync());
        Assert.That(jobPage, Does.Contain($"This job executes run <a href=\"/hangfire/runs/{run.RunId}\">{run.RunId}</a>."), "the job page links back");
    }

    [Test]
    public async Task WatchRunThatFoundDrift_ShowsBadgeDriftTableStartedRunAndStepsOutsideTheTriggerInGrey()
    {
        var (watch, child) = await WatchRunAsync();
        using var client = _host.Client();
        var html = await (await client.GetAsync($"/hangfire/runs/{watch.RunId}")).Content.ReadAsStringAsync();
        var text = WebUtility.HtmlDecode(html);
        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Contain("data-finding=\"drift\">drift found</span>"), "a succeeded watch run that found drift says so");
            Assert.That(text, Does.Contain("<tr data-column=\"contract\"><td>contract</td><td>2.3526</td><td>0.2</td>"), "worst column first, with its threshold");
            Assert.That(text.IndexOf("data-column=\"contract\"", StringComparison.Ordinal), Is.LessThan(text.IndexOf("data-column=\"payment\"", StringComparison.Ordinal)));
            Assert.That(text, Does.Contain("reference <span class=\"mlops-reference\">previous_window</span>"));
            Assert.That(html, Does.Contain($"started run <a href=\"/hangfire/runs/{child.RunId}\">{child.RunId}</a>"), "the run the retrain step started");
            Assert.That(html, Does.Contain("data-step=\"train\" class=\"text-muted mlops-outside\"").And.Contain("not in this trigger"), "steps outside the subset are grey");
            Assert.That(Row(html, "train"), Does.Not.Contain("label-danger").And.Not.Contain("text-danger"), "nothing red for a step the trigger does not run");
            Assert.That(html, Does.Contain("data-step=\"train\" data-status=\"not in this trigger\""), "the graph greys it too");
            Assert.That(Row(html, "watch"), Does.Contain("3 log lines"), "the step's log lines under its row");
            Assert.That(text, Does.Contain("Step watch succeeded in 00:00:01: drift on contract: PSI 2.3526 > 0.2"), "the message rendered from its template");
            Assert.That(html, Does.Not.Contain("data-column=\"last_note\""), "only this run's drift scores");
            Assert.That(text, Does.Not.Contain("cut short"), "a broken log line is skipped");
        });

        var childPage = await (await client.GetAsync($"/hangfire/runs/{child.RunId}")).Content.ReadAsStringAsync();
        Assert.That(childPage, Does.Contain($"run <a href=\"/hangfire/runs/{watch.RunId}\">{watch.RunId}</a> (its retrain step)"), "and back to the run that started it");
    }

    [Test]
    public async Task RunsPage_FiltersByPipelineStatusTriggerAndLevel_PagesAndRefreshesWhileRunsAreActive()
    {
        var pipeline = "filters-" + Guid.NewGuid().ToString("N")[..6];
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        for (var i = 0; i < 56; i++)
        {
            // 56 runs: every 7th failed, every 4th nightly at level 2, the newest pending.
            var status = i == 55 ? RunStatus.Pending : i % 7 == 0 ? RunStatus.Failed : RunStatus.Succeeded;
            var record = new RunRecord
            {
                RunId = $"{pipeline}-{i:D2}", Pipeline = pipeline, PipelineVersion = "v1", PipelineFile = "f.yaml", PipelineYaml = "",
                Trigger = i % 4 == 0 ? "nightly" : "manual", Mode = RunMode.Full, Status = status, Level = i % 4 == 0 ? 2 : 1,
                CreatedAt = start.AddMinutes(i),
            };
            await _storage.Runs.CreateAsync(record, [], CancellationToken.None);
        }

        using var client = _host.Client();
        async Task<List<string>> Shown(string query) =>
            Regex.Matches(await (await client.GetAsync("/hangfire/runs" + query)).Content.ReadAsStringAsync(), "data-run=\"(?<id>[^\"]+)\"").Select(m => m.Groups["id"].Value).ToList();
        static string Id(string pipeline, int i) => $"{pipeline}-{i:D2}";

        var failed = await Shown($"?pipeline={pipeline}&status=failed");
        var nightly = await Shown($"?pipeline={pipeline}&trigger=nightly");
        var level2Failed = await Shown($"?pipeline={pipeline}&level=2&status=failed");
        var first = await (await client.GetAsync($"/hangfire/runs?pipeline={pipeline}")).Content.ReadAsStringAsync();
        var second = await Shown($"?pipeline={pipeline}&page=2");
        var finished = await (await client.GetAsync($"/hangfire/runs?pipeline={pipeline}&status=succeeded")).Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(failed, Is.EqualTo(Enumerable.Range(0, 55).Where(i => i % 7 == 0).Reverse().Select(i => Id(pipeline, i))), "status, newest first");
            Assert.That(nightly, Is.EqualTo(Enumerable.Range(0, 56).Where(i => i % 4 == 0).Reverse().Select(i => Id(pipeline, i))), "trigger");
            Assert.That(level2Failed, Is.EqualTo(new[] { 28, 0 }.Select(i => Id(pipeline, i))), "level and status together");
            Assert.That(Regex.Count(first, "data-run="), Is.EqualTo(50), "a page holds 50");
            Assert.That(WebUtility.HtmlDecode(first), Does.Contain($"href=\"/hangfire/runs?pipeline={pipeline}&page=2\">Older"), "a link to the next page keeps the filters");
            Assert.That(second, Is.EqualTo(Enumerable.Range(0, 6).Reverse().Select(i => Id(pipeline, i))), "the rest on page 2");
            Assert.That(first, Does.Contain("class=\"text-muted mlops-refresh\"").And.Contain("window.location.reload()"), "a pending run: the page refreshes itself");
            Assert.That(finished, Does.Not.Contain("mlops-refresh").And.Not.Contain("location.reload"), "nothing active: no refresh");
            Assert.That(first, Does.Contain($"<option value=\"{pipeline}\" selected>"), "the filter form shows the filter");
        });
    }

    /// <summary>A succeeded run of the watch trigger (monitor and retrain only) as the executor stores it, its drift scores, its log, and the run it started.</summary>
    private async Task<(RunRecord Watch, RunRecord Child)> WatchRunAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var id = "watch-" + Guid.NewGuid().ToString("N")[..8];
        var childId = "retrain-" + Guid.NewGuid().ToString("N")[..8];
        var yaml = WatchYaml;
        var file = Path.Combine(_world.PipelinesFolder, "watch.yaml");
        RunRecord Run(string runId, string trigger, IReadOnlyList<string>? subset, string? key) => new()
        {
            RunId = runId,
            Pipeline = Watch,
            PipelineVersion = "v1",
            PipelineFile = file,
            PipelineYaml = yaml,
            Trigger = trigger,
            Mode = RunMode.Full,
            Status = RunStatus.Succeeded,
            Level = 4,
            StepSubset = subset,
            CreatedAt = now,
            StartedAt = now,
            FinishedAt = now.AddSeconds(2),
            IdempotencyKey = key,
        };
        StepRecord Step(string runId, string step, string kind, StepStatus status, StepResult? result = null, string? error = null) => new()
        {
            RunId = runId,
            StepId = step,
            Kind = kind,
            Status = status,
            Result = result,
            Error = error,
            StartedAt = now,
            FinishedAt = now.AddSeconds(1),
        };

        var skipped = "not run: the run succeeded";
        var watch = Run(id, "watch", ["watch", "retrain"], null);
        await _storage.Runs.CreateAsync(watch, [
            Step(id, "prep", "data_prep", StepStatus.Skipped, error: skipped),
            Step(id, "train", "train", StepStatus.Skipped, error: skipped),
            Step(id, "evaluate", "evaluate", StepStatus.Skipped, error: skipped),
            Step(id, "deploy", "deploy", StepStatus.Skipped, error: skipped),
            Step(id, "watch", "monitor", StepStatus.Succeeded, new MonitorResult
            {
                Verdict = MonitorVerdict.Drift, WindowRows = 336, WindowSource = WindowSource.Data, ModelVersion = 3,
                WorstFeature = "contract", WorstScore = 2.3526, Reference = "previous_window", Note = "drift on contract: PSI 2.3526 > 0.2",
            }),
            Step(id, "retrain", "retrain", StepStatus.Succeeded, new RetrainResult { StartedRun = childId, Note = $"started run {childId}" }),
        ], CancellationToken.None);
        var child = Run(childId, "on-drift", null, RetrainKey.Of(Watch, "on-drift", id));
        await _storage.Runs.CreateAsync(child, [Step(childId, "prep", "data_prep", StepStatus.Succeeded)], CancellationToken.None);

        await _storage.Evaluations.AppendAsync([
            new EvaluationPoint(Watch, Watch, 3, id, "watch", "drift.psi.payment", 0.05, now),
            new EvaluationPoint(Watch, Watch, 3, id, "watch", "drift.psi.contract", 2.3526, now),
            new EvaluationPoint(Watch, Watch, 3, id, "watch", "drift.ks.monthly_charges", 0.9, now),
            new EvaluationPoint(Watch, Watch, 3, "another-run", "watch", "drift.psi.last_note", 7, now),
        ], CancellationToken.None);

        var logs = Path.Combine(_world.Home, "logs");
        Directory.CreateDirectory(logs);
        var t = now.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        await File.AppendAllLinesAsync(Path.Combine(logs, $"serve-test-{now.UtcDateTime:yyyyMMdd}.json"), [
            $$"""{"@t":"{{t}}","@mt":"Step {StepId}: {Message}","RunId":"{{id}}","StepId":"watch","Message":"started (monitor, attempt 1)"}""",
            $$"""{"@t":"{{t}}","@mt":"Step {StepId}: {Message}","RunId":"{{id}}","StepId":"watch","Message":"watch: drift on contract: PSI 2.3526 > 0.2"}""",
            $$"""{"@t":"{{t}}","@mt":"Step {StepId} {Status} in {Elapsed}{Detail}","@l":"Information","RunId":"{{id}}","StepId":"watch","Status":"succeeded","Elapsed":"00:00:01","Detail":": drift on contract: PSI 2.3526 > 0.2"}""",
            $$"""{"@t":"{{t}}","@mt":"Step {StepId} {Status} in {Elapsed}{Detail}","RunId":"another-run","StepId":"watch","Status":"failed","Elapsed":"00:00:01","Detail":""}""",
            "{ cut short by a crash",
        ]);
        return (watch, child);
    }

    /// <summary>The HTML of one step's row in the steps table (with the tables nested in it), up to the next step's row.</summary>
    private static string Row(string html, string step)
    {
        var start = html.IndexOf($"<tr id=\"step-{step}\"", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), $"a row for {step}");
        var end = html.IndexOf("<tr id=\"step-", start + 1, StringComparison.Ordinal);
        return end < 0 ? html[start..] : html[start..end];
    }

    private static readonly string WatchYaml = """
        version: 1
        name: churn-watch
        data:
          source:
            type: csv
            path: data/customers.csv
          timestamp: signup_ts
          label: churned
          schema:
            signup_ts: { type: datetime }
            contract: { type: categorical }
            payment: { type: categorical }
            monthly_charges: { type: float, missing: mean }
            last_note: { type: text }
            churned: { type: categorical, positive: "yes" }
        triggers:
          - id: watch
            cron: "0 0/15 * * * ?"
            steps: [watch, retrain]
          - id: on-drift
            on: drift
            mode: full
        steps:
          - id: prep
            kind: data_prep
          - id: train
            kind: train
            needs: [prep]
            task: binary
            trainer: lbfgs_logistic_regression
          - id: evaluate
            kind: evaluate
            needs: [train]
          - id: deploy
            kind: deploy
            needs: [evaluate]
          - id: watch
            kind: monitor
            needs: [deploy]
            window: 14d
            drift: { method: psi, threshold: 0.2 }
            reference: previous_window
          - id: retrain
            kind: retrain
            needs: [watch]
            when: drift
            trigger: on-drift
        """;

    [GeneratedRegex("href=\"(?<path>/hangfire/jobs/details/[^\"]+)\"")]
    private static partial Regex JobLink();
}
