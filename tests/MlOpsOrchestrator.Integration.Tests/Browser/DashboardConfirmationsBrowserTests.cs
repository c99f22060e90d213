using System.Net;
using Microsoft.Playwright;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;
using static Microsoft.Playwright.Assertions;

namespace MlOpsOrchestrator.Integration.Tests.Browser;

/// <summary>
/// The decisions that change what is served or end a run ask first, in Chromium against a real <c>mlops serve</c>:
/// Reject on a waiting run, Roll back and Promote on a model's page. Dismissing the question posts nothing (the run
/// still waits, production does not move); accepting it acts, recorded as the dashboard caller. The Models list shows
/// production, its primary metric, the last deploy and the drift state; the model's chart fills its width, has value
/// ticks, tells each point's value on hover and keeps the labels of close markers apart.
/// </summary>
public sealed class DashboardConfirmationsBrowserTests
{
    private const string Auto = "churn-confirm";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(45);
    private const string By = "local (127.0.0.1, dashboard)";

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
    public async Task RejectRollbackAndPromote_AskFirst_DismissedNothingChanges_AcceptedActsAsTheCaller()
    {
        var executable = Chromium.Require();
        _folder = Directory.CreateTempSubdirectory("mlops-browser-confirm-").FullName;
        var pipelines = Path.Combine(_folder, "pipelines");
        Directory.CreateDirectory(pipelines);
        await File.WriteAllTextAsync(Path.Combine(pipelines, $"{DashboardApprovalBrowserTests.Pipeline}.yaml"), DashboardApprovalBrowserTests.PipelineYaml);
        var automated = DashboardApprovalBrowserTests.PipelineYaml
            .Replace("name: churn-browser", $"name: {Auto}", StringComparison.Ordinal)
            .Replace("    automated: false\n", "", StringComparison.Ordinal);
        Assert.That(automated, Does.Not.Contain("automated: false"));
        await File.WriteAllTextAsync(Path.Combine(pipelines, $"{Auto}.yaml"), automated);
        await DashboardApprovalBrowserTests.WriteSampleDataAsync(Path.Combine(_folder, "data", "customers.csv"));
        _serve = await ServeProcess.StartAsync(_folder, pipelines);

        var waitingId = (await _serve.PostJsonAsync($"/api/pipelines/{DashboardApprovalBrowserTests.Pipeline}/runs", """{ "mode": "full" }""", HttpStatusCode.Accepted))["runId"]!.GetValue<string>();
        await _serve.WaitForRunAsync(waitingId, "awaiting_approval", RunTimeout);
        foreach (var _ in new[] { 1, 2 })
        {
            var id = (await _serve.PostJsonAsync($"/api/pipelines/{Auto}/runs", """{ "mode": "full" }""", HttpStatusCode.Accepted))["runId"]!.GetValue<string>();
            await _serve.WaitForRunAsync(id, "succeeded", RunTimeout);
        }

        // The second run registers version 2 without deploying it (too few test rows to replace production).
        Assert.That(await ProductionAsync(), Is.EqualTo(1), "the first run deployed version 1");

        _chromium = await Chromium.LaunchAsync(executable);
        var page = await (await _chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } })).NewPageAsync();
        page.SetDefaultTimeout(15_000);
        SetDefaultExpectTimeout(15_000);
        string? asked = null;
        var accept = false;
        page.Dialog += (_, dialog) =>
        {
            asked = dialog.Message;
            _ = accept ? dialog.AcceptAsync() : dialog.DismissAsync();
        };

        // Reject asks first.
        await page.GotoAsync(_serve.Page($"/runs/{waitingId}"));
        var reject = page.Locator("tr[data-step='deploy'] form.mlops-reject");
        await reject.Locator("input[name='reason']").FillAsync("wrong customers");
        await reject.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Reject" }).ClickAsync();
        Assert.That(asked, Does.StartWith("Reject this step?"));
        await page.WaitForTimeoutAsync(500); // a post, had one been made, is answered well within this
        Assert.That((await _serve.GetJsonAsync($"/api/runs/{waitingId}"))["status"]!.GetValue<string>(), Is.EqualTo("awaiting_approval"), "dismissed: the run still waits");
        (asked, accept) = (null, true);
        await page.RunAndWaitForResponseAsync(
            () => reject.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Reject" }).ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.EndsWith("/steps/deploy/reject", StringComparison.Ordinal));
        Assert.That(asked, Does.StartWith("Reject this step?"));
        var rejected = await _serve.WaitForRunAsync(waitingId, "cancelled", RunTimeout);
        Assert.That(rejected["steps"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == "deploy")!["decidedBy"]?.GetValue<string>(), Is.EqualTo(By), rejected.ToJsonString());

        // The Models list: production, its primary metric, the last deploy, the drift state.
        await page.GotoAsync(_serve.Page("/models"));
        var row = page.Locator($"table.mlops-models tr[data-model='{Auto}']");
        await Expect(row.Locator(".mlops-production")).ToHaveTextAsync("v1");
        await Expect(row.Locator(".mlops-primary")).ToContainTextAsync("auc ");
        await Expect(row.Locator(".mlops-last-deploy")).ToContainTextAsync("v1 by ");
        await Expect(row.Locator("[data-drift]")).ToHaveTextAsync("not monitored");
        await row.GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = Auto, Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(_serve.Page($"/models/{Auto}"));

        // Promote asks first.
        (asked, accept) = (null, false);
        var promote = page.Locator("table.mlops-versions tr[data-version='2'] form.mlops-promote button");
        await promote.ClickAsync();
        Assert.That(asked, Does.StartWith("Promote this version"));
        await page.WaitForTimeoutAsync(500);
        Assert.That(await ProductionAsync(), Is.EqualTo(1), "dismissed: production did not move");
        (asked, accept) = (null, true);
        await page.RunAndWaitForResponseAsync(() => promote.ClickAsync(), r => r.Request.Method == "POST" && r.Url.EndsWith("/promote", StringComparison.Ordinal));
        Assert.That(asked, Does.StartWith("Promote this version"));
        Assert.That(await ProductionAsync(), Is.EqualTo(2), "accepted: promoted");

        // Roll back asks first.
        await page.ReloadAsync();
        (asked, accept) = (null, false);
        var rollback = page.Locator("form.mlops-rollback button");
        await rollback.ClickAsync();
        Assert.That(asked, Does.StartWith("Roll back production"));
        await page.WaitForTimeoutAsync(500);
        Assert.That(await ProductionAsync(), Is.EqualTo(2), "dismissed: production did not move");
        (asked, accept) = (null, true);
        await page.RunAndWaitForResponseAsync(() => rollback.ClickAsync(), r => r.Request.Method == "POST" && r.Url.EndsWith("/rollback", StringComparison.Ordinal));
        Assert.That(asked, Does.StartWith("Roll back production"));
        Assert.That(await ProductionAsync(), Is.EqualTo(1), "accepted: rolled back");

        await page.ReloadAsync();
        var history = page.Locator("table.mlops-alias-history tbody tr");
        await Expect(history.Nth(0)).ToContainTextAsync(By);
        await Expect(history.Nth(1)).ToContainTextAsync(By);

        // The metric chart after a deploy, a promotion and a rollback seconds apart: full width, value ticks, each
        // point's value on hover, and marker labels that do not overlap.
        var chart = page.Locator(".mlops-charts svg.mlops-chart").First;
        var widths = await chart.EvaluateAsync<double[]>("e => [e.getBoundingClientRect().width, e.parentElement.getBoundingClientRect().width]");
        var overlaps = await chart.EvaluateAsync<int>("""
            e => {
              const boxes = [...e.querySelectorAll('g.mlops-marker text')].map(t => t.getBoundingClientRect());
              let n = 0;
              for (let i = 0; i < boxes.length; i++)
                for (let j = i + 1; j < boxes.length; j++)
                  if (boxes[i].left < boxes[j].right && boxes[j].left < boxes[i].right && boxes[i].top < boxes[j].bottom && boxes[j].top < boxes[i].bottom) n++;
              return n;
            }
            """);
        Assert.Multiple(async () =>
        {
            Assert.That(widths[0], Is.GreaterThan(widths[1] * 0.95).And.GreaterThan(800), "the chart fills its container");
            Assert.That(await chart.Locator("g.mlops-y-tick").CountAsync(), Is.GreaterThanOrEqualTo(2), "value ticks");
            Assert.That(await chart.Locator("circle > title").First.TextContentAsync(), Does.Match(@"\d\.\d"), "a point tells its value on hover");
            Assert.That(await chart.Locator("g.mlops-marker").CountAsync(), Is.GreaterThanOrEqualTo(3), "the deploy, the promotion and the rollback");
            Assert.That(overlaps, Is.Zero, "marker labels never overlap");
        });
    }

    private async Task<int> ProductionAsync() => (await _serve!.GetJsonAsync($"/api/models/{Auto}"))["aliases"]!["production"]!.GetValue<int>();
}
