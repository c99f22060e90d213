using System.Net;
using MlOpsOrchestrator.Cli.Notifications;
using MlOpsOrchestrator.Cli.Tests.Notifications;
using MlOpsOrchestrator.Cli.Tests.Support;
using MlOpsOrchestrator.Specs;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Hosting;

/// <summary>
/// The operations <c>serve</c> does on its own, on a real host: runs executed by its Hangfire workers notify the
/// default webhooks, and its periodic garbage collection (made quick here) deletes what <c>MLOPS_RETENTION</c> no longer
/// keeps while the alias's version and its run stay.
/// </summary>
[TestFixture]
[NonParallelizable] // MLOPS_RETENTION is a process environment variable.
public sealed class ServeOperationsTests
{
    [Test]
    public async Task Serve_TwoApprovedRuns_WorkersNotifyAndTheCollectionDeletesTheReplacedVersionAndItsRun()
    {
        using var hook = new WebhookListener();
        using var retention = EnvironmentScope.Set(("MLOPS_RETENTION", "keep_versions=1,keep_aliased_for=1s,keep_runs_for=1s"));
        await using var serve = await ServeHarness.StartAsync(configure: s => s with
        {
            GarbageCollectionInterval = TimeSpan.FromMilliseconds(500),
            Notify = new NotifySettings { Webhooks = [new NotifySpec { Url = new Uri(hook.Url()), Events = NotifySpec.AllEvents }] },
        });

        var ids = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var id = await serve.RunToApprovalAsync();
            var (approved, body) = await serve.PostAsync($"/api/runs/{id}/steps/deploy/approve", null);
            Assert.That(approved, Is.EqualTo(HttpStatusCode.Accepted), body?.ToJsonString());
            await serve.WaitForRunAsync(id, "succeeded");
            ids.Add(id);
        }

        // One collection deletes the version first, then the run that made it: wait for both, not for the first alone.
        var versions = new List<int>();
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            var (_, model) = await serve.GetAsync($"/api/models/{ServeHarness.Pipeline}");
            versions = [.. model!["versions"]!.AsArray().Select(v => v!["version"]!.GetValue<int>())];
            if (versions.SequenceEqual([2]) && (await serve.GetAsync($"/api/runs/{ids[0]}")).Status == HttpStatusCode.NotFound)
            {
                break;
            }
        }

        var (first, _) = await serve.GetAsync($"/api/runs/{ids[0]}");
        var (second, _) = await serve.GetAsync($"/api/runs/{ids[1]}");
        var (_, aliases) = await serve.GetAsync($"/api/models/{ServeHarness.Pipeline}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(versions, Is.EqualTo(new[] { 2 }), "version 1 left production more than 1 s ago and is not the newest");
            Assert.That(aliases!["aliases"]!["production"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(first, Is.EqualTo(HttpStatusCode.NotFound), "the run of the deleted version went with it");
            Assert.That(second, Is.EqualTo(HttpStatusCode.OK), "the run of production's version stays");
            Assert.That(hook.Delivered.Select(b => b["event"]!.GetValue<string>()),
                Is.EquivalentTo(new[] { "waiting_for_approval", "model_deployed", "waiting_for_approval", "model_deployed" }), "serve's workers notify as mlops run does");
            Assert.That(hook.Delivered.Select(b => b["run_url"]?.GetValue<string>()), Has.All.Null,
                "no link to port 0, an address a browser cannot open");
        }
    }
}
