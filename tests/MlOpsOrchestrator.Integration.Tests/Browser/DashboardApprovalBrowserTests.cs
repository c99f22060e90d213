using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using MlOpsOrchestrator.Cli;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;
using NUnit.Framework.Interfaces;
using static Microsoft.Playwright.Assertions;

namespace MlOpsOrchestrator.Integration.Tests.Browser;

/// <summary>
/// The dashboard as a person uses it, in a real browser against a real <c>mlops serve</c>: the Pipelines page shows
/// the pipeline's level badge, the Runs page leads to the run waiting at its manual deploy, and clicking Approve
/// (a real form post, with the antiforgery cookie and field the browser got from the page) lets the run succeed.
/// </summary>
public sealed class DashboardApprovalBrowserTests
{
    internal const string Pipeline = "churn-browser";

    /// <summary>The customer-churn sample on generated data, with a far-away cron trigger so it is level 2.</summary>
    internal const string PipelineYaml = """
        # The customer-churn sample with a cron trigger (level 2: automated training); deployment stays manual.
        version: 1
        name: churn-browser
        description: Churn risk of subscription customers; deployment is approved by a person.
        owner: growth-analytics
        data:
          source:
            type: csv
            path: ../data/customers.csv
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
          - id: new-year
            cron: "0 0 3 1 1 ?"
            mode: full
        steps:
          - id: prep
            kind: data_prep
            checks: { min_rows: 300 }
            split: { by: random, test_fraction: 0.25, seed: 3 }
          - id: train
            kind: train
            needs: [prep]
            task: binary
            trainer: lbfgs_logistic_regression
          - id: evaluate
            kind: evaluate
            needs: [train]
            gates:
              auc: { min: 0.7 }
              log_loss: { max_increase: 0.05 }
          - id: deploy
            kind: deploy
            needs: [evaluate]
            automated: false

        """;

    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(45);

    private string? _folder;
    private ServeProcess? _serve;
    private Chromium? _chromium;
    private IPage? _page;

    [TearDown]
    public async Task TearDown()
    {
        var failed = TestContext.CurrentContext.Result.Outcome.Status == TestStatus.Failed;
        try
        {
            if (failed && _page is not null)
            {
                await AttachScreenshotAsync(_page, "failure", "the page when the test failed");
            }

            if (failed && _serve is not null)
            {
                var log = OutputPath("serve-output.txt");
                await File.WriteAllTextAsync(log, _serve.Output);
                TestContext.AddTestAttachment(log, "what mlops serve printed");
            }
        }
        finally
        {
            if (_chromium is not null)
            {
                await _chromium.DisposeAsync();
            }

            if (_serve is not null)
            {
                await _serve.DisposeAsync();
            }

            DeleteFolder();
        }
    }

    [Test]
    public async Task Dashboard_ApproveWaitingRunInChromium_RunSucceeds()
    {
        var executable = Chromium.Require();
        _folder = Directory.CreateTempSubdirectory("mlops-browser-").FullName;
        var pipelines = Path.Combine(_folder, "pipelines");
        Directory.CreateDirectory(pipelines);
        await File.WriteAllTextAsync(Path.Combine(pipelines, $"{Pipeline}.yaml"), PipelineYaml);
        await WriteSampleDataAsync(Path.Combine(_folder, "data", "customers.csv"));
        _serve = await ServeProcess.StartAsync(_folder, pipelines);

        // What the product says about the pipeline; the badge must say the same.
        var pipeline = await _serve.GetJsonAsync($"/api/pipelines/{Pipeline}");
        var (level, levelName) = (pipeline["level"]!.GetValue<int>(), pipeline["levelName"]!.GetValue<string>());
        Assert.That((level, levelName), Is.EqualTo((2, "Automated training")), pipeline.ToJsonString());

        var started = await _serve.PostJsonAsync($"/api/pipelines/{Pipeline}/runs", """{ "mode": "full" }""", HttpStatusCode.Accepted);
        var runId = started["runId"]!.GetValue<string>();
        await _serve.WaitForRunAsync(runId, "awaiting_approval", RunTimeout);

        _chromium = await Chromium.LaunchAsync(executable);
        var context = await _chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        _page = await context.NewPageAsync();
        _page.SetDefaultTimeout(15_000);
        SetDefaultExpectTimeout(15_000);

        // Pipelines: the level badge in the pipeline's heading, and what keeps it from level 3.
        var pipelinesPage = await _page.GotoAsync(_serve.Page("/pipelines"));
        Assert.That(pipelinesPage?.Status, Is.EqualTo(200), "GET /hangfire/pipelines");
        var panel = _page.Locator($".mlops-pipeline[data-pipeline='{Pipeline}']");
        var badge = panel.Locator(".panel-title .mlops-level");
        await Expect(badge).ToBeVisibleAsync();
        await Expect(badge).ToHaveTextAsync($"level {level} · {levelName}");
        await Expect(badge).ToHaveAttributeAsync("data-level", level.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(panel.Locator(".mlops-level-reasons")).ToContainTextAsync("level 3: deploy 'deploy' is manual");

        // Runs, through the dashboard's menu, then the waiting run.
        await _page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Runs", Exact = true }).ClickAsync();
        await Expect(_page).ToHaveURLAsync(_serve.Page("/runs"));
        var row = _page.Locator($"tr[data-run='{runId}']");
        await Expect(row.Locator(".mlops-status")).ToHaveTextAsync("awaiting_approval");
        await row.GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = runId, Exact = true }).ClickAsync();
        var runPage = _serve.Page($"/runs/{runId}");
        await Expect(_page).ToHaveURLAsync(runPage);

        // Approve: the form posts with the antiforgery field and cookie; success redirects (303) back to the run.
        var deploy = _page.Locator("tr[data-step='deploy']");
        await Expect(deploy.Locator(".mlops-status")).ToHaveTextAsync("awaiting_approval");
        var decision = await _page.RunAndWaitForResponseAsync(
            () => deploy.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Approve deploy" }).ClickAsync(),
            response => response.Request.Method == "POST" && response.Url.EndsWith("/steps/deploy/approve", StringComparison.Ordinal));
        Assert.That(decision.Status, Is.EqualTo(303), $"the approve post was answered {decision.Status} {decision.StatusText}");
        await Expect(_page).ToHaveURLAsync(runPage);
        await Expect(deploy).ToContainTextAsync("decided by local (127.0.0.1, dashboard)");

        var finished = await _serve.WaitForRunAsync(runId, "succeeded", RunTimeout);
        var deployStep = finished["steps"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == "deploy")!;
        Assert.Multiple(() =>
        {
            Assert.That(deployStep["status"]!.GetValue<string>(), Is.EqualTo("succeeded"), finished.ToJsonString());
            Assert.That(deployStep["decidedBy"]?.GetValue<string>(), Is.EqualTo("local (127.0.0.1, dashboard)"), finished.ToJsonString());
            Assert.That(finished["model"]?["name"]?.GetValue<string>(), Is.EqualTo(Pipeline), finished.ToJsonString());
        });

        // The page a person reloads shows the outcome.
        await _page.ReloadAsync();
        await Expect(_page.Locator("h1 .mlops-status")).ToHaveTextAsync("succeeded");
        await Expect(deploy.Locator(".mlops-status")).ToHaveTextAsync("succeeded");
        await Expect(deploy).ToContainTextAsync("decided by local (127.0.0.1, dashboard)");
        await AttachScreenshotAsync(_page, "approved-run", $"run {runId} after Approve, reloaded");
    }

    /// <summary><c>mlops sample-data customer-churn --rows 400</c>, in-process.</summary>
    internal static async Task WriteSampleDataAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await MlOpsCli.RunAsync(["sample-data", "customer-churn", "--rows", "400", "--out", path], stdout, stderr, CancellationToken.None);
        Assert.That(exit, Is.Zero, $"mlops sample-data: {stdout}{stderr}");
    }

    private static async Task AttachScreenshotAsync(IPage page, string name, string description)
    {
        var path = OutputPath($"{name}.png");
        try
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        }
        catch (PlaywrightException)
        {
            return; // The browser is gone; the failure itself says why.
        }

        TestContext.AddTestAttachment(path, description);
    }

    /// <summary>A file in this test's output folder, under the work directory, named after the test.</summary>
    private static string OutputPath(string name)
    {
        var folder = Path.Combine(TestContext.CurrentContext.WorkDirectory, "browser");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, $"{TestContext.CurrentContext.Test.Name}-{name}");
    }

    private void DeleteFolder()
    {
        if (_folder is null)
        {
            return;
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail a test.
        }
        catch (UnauthorizedAccessException)
        {
            // Likewise.
        }
    }
}
