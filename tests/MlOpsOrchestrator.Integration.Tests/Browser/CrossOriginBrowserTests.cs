using System.Collections.Concurrent;
using System.Net;
using Microsoft.Playwright;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;
using NUnit.Framework.Interfaces;

namespace MlOpsOrchestrator.Integration.Tests.Browser;

/// <summary>
/// A page of another origin, opened in the operator's real (headless) browser on the machine where <c>mlops serve</c>
/// listens on loopback, tries everything a page can do without the server's consent: "simple" cross-origin fetches
/// (text/plain, no body), a preflighted JSON fetch, form posts to the dashboard's actions and to the API, a read of
/// the API; and a DNS-rebound name (mapped to 127.0.0.1 in the browser's resolver) asks for the API under its own
/// Host. Nothing may happen: no run started, the approval still waiting, no alias moved, nothing read.
/// </summary>
public sealed class CrossOriginBrowserTests
{
    private const string Pipeline = DashboardApprovalBrowserTests.Pipeline;
    private const string ReboundName = "rebound.test";

    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(45);

    private string? _folder;
    private ServeProcess? _serve;
    private AttackerSite? _attacker;
    private Chromium? _chromium;

    [TearDown]
    public async Task TearDown()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status == TestStatus.Failed && _serve is not null)
        {
            TestContext.Out.WriteLine(_serve.Output);
        }

        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }

        if (_attacker is not null)
        {
            await _attacker.DisposeAsync();
        }

        if (_serve is not null)
        {
            await _serve.DisposeAsync();
        }

        if (_folder is not null)
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder must not fail a test.
            }
        }
    }

    [Test]
    public async Task PageOfAnotherOrigin_TriesEveryWayIn_NothingHappens()
    {
        var executable = Chromium.Require();
        _folder = Directory.CreateTempSubdirectory("mlops-origin-").FullName;
        var pipelines = Path.Combine(_folder, "pipelines");
        Directory.CreateDirectory(pipelines);
        await File.WriteAllTextAsync(Path.Combine(pipelines, $"{Pipeline}.yaml"), DashboardApprovalBrowserTests.PipelineYaml);
        await DashboardApprovalBrowserTests.WriteSampleDataAsync(Path.Combine(_folder, "data", "customers.csv"));
        _serve = await ServeProcess.StartAsync(_folder, pipelines);

        // Version 1 in production (approved by this test, a client without an Origin), and a second run waiting.
        var first = await StartRunAsync();
        await _serve.WaitForRunAsync(first, "awaiting_approval", RunTimeout);
        await _serve.PostJsonAsync($"/api/runs/{first}/steps/deploy/approve", "{}", HttpStatusCode.Accepted);
        await _serve.WaitForRunAsync(first, "succeeded", RunTimeout);
        var waiting = await StartRunAsync();
        await _serve.WaitForRunAsync(waiting, "awaiting_approval", RunTimeout);
        var runsBefore = await RunIdsAsync();
        var modelBefore = (await _serve.GetJsonAsync($"/api/models/{Pipeline}")).ToJsonString();

        var server = _serve.Http.BaseAddress!.GetLeftPart(UriPartial.Authority);
        _attacker = await AttackerSite.StartAsync(AttackPage(server, waiting));
        _chromium = await Chromium.LaunchAsync(executable, $"--host-resolver-rules=MAP {ReboundName} 127.0.0.1");
        var page = await (await _chromium.Browser.NewContextAsync()).NewPageAsync();
        page.SetDefaultTimeout(20_000);
        var answered = new ConcurrentQueue<(string Method, string Url, int Status)>();
        page.Response += (_, r) => answered.Enqueue((r.Request.Method, r.Url, r.Status));

        await page.GotoAsync(_attacker.Root.AbsoluteUri);
        await page.WaitForFunctionAsync("() => document.title.startsWith('done')");
        var outcome = await page.TitleAsync();

        // What the server answered to the page's state-changing requests (the browser sent them: they were answered).
        var posts = answered.Where(a => a.Method == "POST" && a.Url.StartsWith(server, StringComparison.Ordinal)).ToList();
        var report = string.Join("\n", answered.Select(a => $"{a.Method} {a.Url} -> {a.Status}")) + "\n" + outcome;
        Assert.Multiple(() =>
        {
            Assert.That(posts.Select(p => new Uri(p.Url).AbsolutePath), Is.SupersetOf(new[]
            {
                $"/api/runs/{waiting}/steps/deploy/approve",
                $"/api/pipelines/{Pipeline}/runs",
                $"/hangfire/runs/{waiting}/steps/deploy/approve",
                $"/hangfire/models/{Pipeline}/promote",
                $"/hangfire/models/{Pipeline}/rollback",
            }), report);
            Assert.That(posts.Select(p => p.Status), Has.All.EqualTo(403), report);
            Assert.That(outcome, Does.Contain("json:blocked").And.Contain("read:blocked"), "the preflighted fetch and the read never reach the page: " + report);
        });

        // A name rebound to this machine: the browser asks under its own Host; nothing is read.
        var servePort = _serve.Http.BaseAddress!.Port;
        var rebound = await page.GotoAsync($"http://{ReboundName}:{servePort}/api/runs");
        var reboundText = await rebound!.TextAsync();
        var reboundDashboard = await page.GotoAsync($"http://{ReboundName}:{servePort}/hangfire/runs");
        var reboundDashboardText = await reboundDashboard!.TextAsync();
        Assert.Multiple(() =>
        {
            Assert.That(rebound.Status, Is.EqualTo(400), reboundText);
            Assert.That(reboundText, Does.Not.Contain(waiting).And.Contain(ReboundName));
            Assert.That(reboundDashboard.Status, Is.EqualTo(400), reboundDashboardText);
            Assert.That(reboundDashboardText, Does.Not.Contain(waiting));
        });

        // The same with curl's means: a Host other than the configured ones.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/runs");
        request.Headers.Host = $"{ReboundName}:{servePort}";
        using var response = await _serve.Http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Not.Contain(waiting));

        // Nothing happened.
        var run = await _serve.GetJsonAsync($"/api/runs/{waiting}");
        var deploy = run["steps"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == "deploy")!;
        var runsAfter = await RunIdsAsync();
        var modelAfter = (await _serve.GetJsonAsync($"/api/models/{Pipeline}")).ToJsonString();
        Assert.Multiple(() =>
        {
            Assert.That(run["status"]!.GetValue<string>(), Is.EqualTo("awaiting_approval"), run.ToJsonString());
            Assert.That(deploy["decidedBy"], Is.Null, run.ToJsonString());
            Assert.That(runsAfter, Is.EqualTo(runsBefore), "no run started");
            Assert.That(modelAfter, Is.EqualTo(modelBefore), "no alias moved");
        });
    }

    private async Task<string> StartRunAsync() =>
        (await _serve!.PostJsonAsync($"/api/pipelines/{Pipeline}/runs", """{ "mode": "full" }""", HttpStatusCode.Accepted))["runId"]!.GetValue<string>();

    private async Task<IReadOnlyList<string>> RunIdsAsync() =>
        (await _serve!.GetJsonAsync($"/api/runs?pipeline={Pipeline}&limit=500")).AsArray().Select(r => r!["runId"]!.GetValue<string>()).ToList();

    /// <summary>
    /// The attacker's page: fetches that need no preflight (text/plain, no body), one that does (JSON), a read, and
    /// form posts (into frames, so the page stays) to the dashboard's approve, promote and rollback and, as
    /// <c>text/plain</c>, to the API. Its title ends as <c>done</c> with what each fetch saw.
    /// </summary>
    private static string AttackPage(string server, string runId)
    {
        var approveApi = $"{server}/api/runs/{runId}/steps/deploy/approve";
        var startApi = $"{server}/api/pipelines/{Pipeline}/runs";
        var dashboard = $"{server}/hangfire";
        return $$"""
            <!doctype html>
            <html><head><title>a page of another origin</title></head><body>
            <iframe name="f1"></iframe><iframe name="f2"></iframe><iframe name="f3"></iframe><iframe name="f4"></iframe>
            <form method="post" target="f1" action="{{dashboard}}/runs/{{runId}}/steps/deploy/approve"><input name="x" value="1"></form>
            <form method="post" target="f2" action="{{dashboard}}/models/{{Pipeline}}/promote"><input name="version" value="1"><input name="alias" value="staging"></form>
            <form method="post" target="f3" action="{{dashboard}}/models/{{Pipeline}}/rollback"><input name="alias" value="production"></form>
            <form method="post" target="f4" enctype="text/plain" action="{{approveApi}}"><input name='{"by":"mallory","x":"' value='"}'></form>
            <script>
            async function attempt(name, send) {
              try { await send(); return name + ':sent'; } catch (e) { return name + ':blocked'; }
            }
            async function attack() {
              const seen = [];
              seen.push(await attempt('approve', () => fetch('{{approveApi}}', { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body: '{"by":"mallory"}' })));
              seen.push(await attempt('start', () => fetch('{{startApi}}', { method: 'POST', mode: 'no-cors' })));
              seen.push(await attempt('start-plain', () => fetch('{{startApi}}', { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body: '{"mode":"full"}' })));
              seen.push(await attempt('json', () => fetch('{{approveApi}}', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })));
              seen.push(await attempt('read', () => fetch('{{server}}/api/runs').then(r => r.text())));
              const frames = ['f1', 'f2', 'f3', 'f4'].map(n => new Promise(done => document.getElementsByName(n)[0].addEventListener('load', done, { once: true })));
              for (const form of document.forms) form.submit();
              await Promise.all(frames);
              document.title = 'done ' + seen.join(' ');
            }
            attack();
            </script>
            </body></html>
            """;
    }
}
