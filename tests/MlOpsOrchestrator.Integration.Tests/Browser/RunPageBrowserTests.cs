using System.Net;
using Microsoft.Playwright;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;
using static Microsoft.Playwright.Assertions;

namespace MlOpsOrchestrator.Integration.Tests.Browser;

/// <summary>
/// What an operator sees of a run in a real browser against a real <c>mlops serve</c>: the Runs page's filters narrow
/// the list, the run page shows the gate table with its verdict, the step graph, each step's log lines from the
/// host's log files, and a link to the Hangfire job that executed the run, whose page links back.
/// </summary>
public sealed class RunPageBrowserTests
{
    private string? _folder;
    private ServeProcess? _serve;
    private Chromium? _chromium;

    [TearDown]
    public async Task TearDown()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }

        if (_serve is not null)
        {
            await _serve.DisposeAsync();
        }

        try
        {
            if (_folder is not null)
            {
                Directory.Delete(_folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail a test.
        }
    }

    [Test]
    public async Task RunPage_InChromium_ShowsGatesGraphLogAndJobLinks_RunsPageFilters()
    {
        var executable = Chromium.Require();
        _folder = Directory.CreateTempSubdirectory("mlops-runpage-").FullName;
        var pipelines = Path.Combine(_folder, "pipelines");
        Directory.CreateDirectory(pipelines);
        await File.WriteAllTextAsync(Path.Combine(pipelines, $"{DashboardApprovalBrowserTests.Pipeline}.yaml"), DashboardApprovalBrowserTests.PipelineYaml);
        await DashboardApprovalBrowserTests.WriteSampleDataAsync(Path.Combine(_folder, "data", "customers.csv"));
        _serve = await ServeProcess.StartAsync(_folder, pipelines);
        var started = await _serve.PostJsonAsync($"/api/pipelines/{DashboardApprovalBrowserTests.Pipeline}/runs", """{ "mode": "full" }""", HttpStatusCode.Accepted);
        var runId = started["runId"]!.GetValue<string>();
        await _serve.WaitForRunAsync(runId, "awaiting_approval", TimeSpan.FromSeconds(45));

        _chromium = await Chromium.LaunchAsync(executable);
        var page = await (await _chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } })).NewPageAsync();
        page.SetDefaultTimeout(15_000);
        SetDefaultExpectTimeout(15_000);

        // Runs: filtering by a status the run is not in hides it; by its own status shows it.
        await page.GotoAsync(_serve.Page("/runs"));
        var filters = page.Locator("form.mlops-run-filters");
        await filters.Locator("select[name='status']").SelectOptionAsync("failed");
        await filters.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Filter" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("status=failed"));
        await Expect(page.Locator($"tr[data-run='{runId}']")).ToHaveCountAsync(0);
        await page.Locator("form.mlops-run-filters select[name='status']").SelectOptionAsync("awaiting_approval");
        await page.Locator("form.mlops-run-filters").GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Filter" }).ClickAsync();
        var row = page.Locator($"tr[data-run='{runId}']");
        await Expect(row).ToBeVisibleAsync();
        await row.GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = runId, Exact = true }).ClickAsync();

        // The run: the gate table with its verdict, the graph, the step's log lines.
        await Expect(page).ToHaveURLAsync(_serve.Page($"/runs/{runId}"));
        var evaluate = page.Locator("tr[data-step='evaluate']");
        await Expect(evaluate.Locator("table.mlops-gates tr[data-gate='auc']")).ToContainTextAsync("min 0.7");
        await Expect(evaluate.Locator("table.mlops-gates tr[data-gate='auc'] .label")).ToHaveTextAsync("pass");
        await Expect(evaluate.Locator("table.mlops-gates tr[data-gate='log_loss']")).ToContainTextAsync("pass (no production to compare)");
        await Expect(page.Locator("svg.mlops-step-graph g.mlops-node[data-step='deploy']")).ToHaveAttributeAsync("data-status", "awaiting_approval");
        var graphWidth = await page.Locator("svg.mlops-step-graph").EvaluateAsync<double>("e => e.getBoundingClientRect().width");
        Assert.That(graphWidth, Is.GreaterThan(300), "the graph is drawn");
        var log = evaluate.Locator("details.mlops-step-log");
        await log.Locator("summary").ClickAsync();
        await Expect(log.Locator("pre")).ToContainTextAsync("evaluate succeeded in");

        // Run -> Hangfire job -> run.
        await page.Locator(".mlops-jobs a").First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/jobs/details/"));
        var back = page.Locator(".mlops-job-run a");
        await Expect(back).ToHaveTextAsync(runId);
        await back.ClickAsync();
        await Expect(page).ToHaveURLAsync(_serve.Page($"/runs/{runId}"));
    }
}
