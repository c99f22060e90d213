using System.Net;
using Microsoft.Playwright;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;
using static Microsoft.Playwright.Assertions;

namespace MlOpsOrchestrator.Integration.Tests.Browser;

/// <summary>
/// Run now, cancel and retry from the dashboard, in Chromium against a real <c>mlops serve</c>: run now per trigger
/// from the Pipelines page, Cancel on the run page asks first (dismissing changes nothing) and ends the waiting run
/// cancelled recorded as the dashboard caller, and Retry starts a new run linked to it.
/// </summary>
public sealed class DashboardRunActionsBrowserTests
{
    private const string Pipeline = DashboardApprovalBrowserTests.Pipeline;
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(45);

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
            if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
            {
                await TestContext.Out.WriteLineAsync(_serve.Output);
            }

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
    public async Task Dashboard_RunNowAsTrigger_CancelAsksFirst_ThenCancelsAndRetryStartsALinkedRun()
    {
        var executable = Chromium.Require();
        _folder = Directory.CreateTempSubdirectory("mlops-browser-actions-").FullName;
        var pipelines = Path.Combine(_folder, "pipelines");
        Directory.CreateDirectory(pipelines);
        await File.WriteAllTextAsync(Path.Combine(pipelines, $"{Pipeline}.yaml"), DashboardApprovalBrowserTests.PipelineYaml);
        await DashboardApprovalBrowserTests.WriteSampleDataAsync(Path.Combine(_folder, "data", "customers.csv"));
        _serve = await ServeProcess.StartAsync(_folder, pipelines);

        _chromium = await Chromium.LaunchAsync(executable);
        var context = await _chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        SetDefaultExpectTimeout(15_000);

        // Run now as the pipeline's trigger, from the Pipelines page: the new run's page opens.
        await page.GotoAsync(_serve.Page("/pipelines"));
        var panel = page.Locator($".mlops-pipeline[data-pipeline='{Pipeline}']");
        await panel.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Run now as new-year" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/runs/churn-browser-"));
        var runId = page.Url[(page.Url.LastIndexOf('/') + 1)..];
        var waiting = await _serve.WaitForRunAsync(runId, "awaiting_approval", RunTimeout);
        Assert.Multiple(() =>
        {
            Assert.That(waiting["trigger"]!.GetValue<string>(), Is.EqualTo("new-year"));
            Assert.That(waiting["requestedBy"]!.GetValue<string>(), Is.EqualTo("local (127.0.0.1, dashboard)"));
        });

        // Cancel asks first: dismissing the confirmation posts nothing.
        await page.ReloadAsync();
        var cancel = page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Cancel run" });
        string? asked = null;
        void Dismiss(object? sender, IDialog dialog)
        {
            asked = dialog.Message;
            _ = dialog.DismissAsync();
        }

        page.Dialog += Dismiss;
        await cancel.ClickAsync();
        page.Dialog -= Dismiss;
        Assert.That(asked, Does.StartWith("Cancel this run?"));
        Assert.That((await _serve.GetJsonAsync($"/api/runs/{runId}"))["status"]!.GetValue<string>(), Is.EqualTo("awaiting_approval"), "dismissed: nothing changed");

        // Accepted: the run ends cancelled, with who and why.
        page.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
        await page.Locator(".mlops-cancel input[name='reason']").FillAsync("wrong data window");
        var answer = await page.RunAndWaitForResponseAsync(() => cancel.ClickAsync(), r => r.Request.Method == "POST" && r.Url.EndsWith("/cancel", StringComparison.Ordinal));
        Assert.That(answer.Status, Is.EqualTo(303));
        await Expect(page.Locator("h1 .mlops-status")).ToHaveTextAsync("cancelled");
        await Expect(page.Locator(".mlops-run-error")).ToHaveTextAsync("cancelled by local (127.0.0.1, dashboard): wrong data window");

        // Retry: a new run linked to the cancelled one, its finished steps carried over.
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Retry as a new run from the failed step" }).ClickAsync();
        await Expect(page.Locator(".mlops-retry-of")).ToContainTextAsync(runId);
        var retryId = page.Url[(page.Url.LastIndexOf('/') + 1)..];
        var retried = await _serve.WaitForRunAsync(retryId, "awaiting_approval", RunTimeout);
        Assert.Multiple(() =>
        {
            Assert.That(retryId, Is.Not.EqualTo(runId));
            Assert.That(retried["retryOf"]!.GetValue<string>(), Is.EqualTo(runId));
            Assert.That(retried["requestedBy"]!.GetValue<string>(), Is.EqualTo("local (127.0.0.1, dashboard)"));
        });
    }
}
