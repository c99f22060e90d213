using System.Net;
using Microsoft.Playwright;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;
using static Microsoft.Playwright.Assertions;

namespace MlOpsOrchestrator.Integration.Tests.Browser;

/// <summary>
/// Resume, in Chromium and through the API, against a real <c>mlops serve</c>: two runs fail at their first step
/// because the data file is too short for its checks; once the full file is there, Resume on the run page and <c>POST /api/runs/ID/resume</c>
/// each continue the same run from the failed step, as their caller, until it waits at its manual deploy.
/// </summary>
public sealed class DashboardResumeBrowserTests
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
    public async Task FailedRuns_ResumedFromTheRunPageAndByTheApi_ContinueTheSameRunFromTheFailedStep()
    {
        var executable = Chromium.Require();
        _folder = Directory.CreateTempSubdirectory("mlops-browser-resume-").FullName;
        var pipelines = Path.Combine(_folder, "pipelines");
        Directory.CreateDirectory(pipelines);
        await File.WriteAllTextAsync(Path.Combine(pipelines, $"{Pipeline}.yaml"), DashboardApprovalBrowserTests.PipelineYaml);
        var data = Path.Combine(_folder, "data", "customers.csv");
        await DashboardApprovalBrowserTests.WriteSampleDataAsync(data);
        var full = await File.ReadAllLinesAsync(data);
        await File.WriteAllLinesAsync(data, full.Take(101)); // prep checks min_rows: 300
        _serve = await ServeProcess.StartAsync(_folder, pipelines);

        var failed = new List<string>();
        foreach (var _ in new[] { 1, 2 })
        {
            var id = await _serve.StartRunAsync(Pipeline);
            await WaitForStatusAsync(id, "failed");
            failed.Add(id);
        }

        await File.WriteAllLinesAsync(data, full);

        // From the run page.
        _chromium = await Chromium.LaunchAsync(executable);
        var page = await (await _chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } })).NewPageAsync();
        page.SetDefaultTimeout(15_000);
        SetDefaultExpectTimeout(15_000);
        await page.GotoAsync(_serve.Page($"/runs/{failed[0]}"));
        await Expect(page.Locator("h1 .mlops-status")).ToHaveTextAsync("failed");
        var answer = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Resume after the last finished step" }).ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.EndsWith("/resume", StringComparison.Ordinal));
        Assert.That(answer.Status, Is.EqualTo(303));
        var resumed = await _serve.WaitForRunAsync(failed[0], "awaiting_approval", RunTimeout);
        await page.ReloadAsync();
        await Expect(page.Locator("h1 .mlops-status")).ToHaveTextAsync("awaiting_approval");
        await _serve.PostJsonAsync($"/api/runs/{failed[0]}/cancel", """{ "reason": "make way for the next" }""", HttpStatusCode.Accepted);
        await WaitForStatusAsync(failed[0], "cancelled");

        // Through the API.
        var accepted = await _serve.PostJsonAsync($"/api/runs/{failed[1]}/resume", "{}", HttpStatusCode.Accepted);
        var resumedByApi = await _serve.WaitForRunAsync(failed[1], "awaiting_approval", RunTimeout);

        Assert.Multiple(() =>
        {
            foreach (var run in new[] { resumed, resumedByApi })
            {
                var prep = run["steps"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == "prep")!;
                Assert.That(prep["status"]!.GetValue<string>(), Is.EqualTo("succeeded"), run.ToJsonString());
                Assert.That(prep["attempts"]!.GetValue<int>(), Is.EqualTo(2), "the failed step ran again, in the same run");
            }

            Assert.That(accepted["runId"]?.GetValue<string>(), Is.EqualTo(failed[1]), accepted.ToJsonString());
            Assert.That(_serve.Output, Does.Contain($"Run {failed[0]} of {Pipeline} resumed by local (127.0.0.1, dashboard)"));
            Assert.That(_serve.Output, Does.Contain($"Run {failed[1]} of {Pipeline} resumed by local (127.0.0.1, api)"));
        });
    }

    /// <summary>Polls until the run reads <paramref name="status"/>, an end state included.</summary>
    private async Task WaitForStatusAsync(string runId, string status)
    {
        var deadline = DateTime.UtcNow + RunTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if ((await _serve!.GetJsonAsync($"/api/runs/{runId}"))["status"]?.GetValue<string>() == status)
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"run {runId} did not reach {status}:\n{_serve!.Output}");
    }
}
