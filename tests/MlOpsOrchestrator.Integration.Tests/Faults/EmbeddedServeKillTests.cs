using System.Text.Json;
using MlOpsOrchestrator.Integration.Tests.Cluster;
using NUnit.Framework;

namespace MlOpsOrchestrator.Integration.Tests.Faults;

/// <summary>
/// <c>kill -9</c> of an embedded <c>mlops serve</c> while a run trains: nothing can mark the run, yet once its heartbeat
/// is stale it reads as <c>interrupted</c> (not stuck <c>running</c>), a new serve on the same home leaves it alone,
/// and <c>mlops resume</c> finishes it without redoing the finished step and with exactly one model version.
/// </summary>
[Category(FaultSuite.Category)]
public sealed class EmbeddedServeKillTests
{
    /// <summary>The heartbeat goes stale after 30 s; a little more for a loaded machine.</summary>
    private static readonly TimeSpan InterruptedWithin = TimeSpan.FromSeconds(60);

    private ClusterSandbox? _sandbox;

    [TearDown]
    public async Task KillProcesses() => _sandbox = await ClusterSandbox.EndTestAsync(_sandbox);

    [Test]
    public async Task EmbeddedServe_KilledMidStep_RunReadsInterruptedAndResumeFinishesItWithOneVersion()
    {
        var sandbox = _sandbox = await ClusterSandbox.CreateEmbeddedAsync("serve-kill");
        await sandbox.WriteChurnDataAsync("churn-large.csv", 10000);
        var slow = new ChurnPipeline("slow", "churn-large.csv") { FastTreeTrees = 300 };
        sandbox.WritePipeline(slow.Name, slow.ToYaml());

        var first = await sandbox.StartServeAsync("serve#1");
        var runId = await first.StartRunAsync(slow.Name);
        await first.Process.WaitForStderrAsync($"[{runId} train] Step train: started", TimeSpan.FromSeconds(60));
        var before = await sandbox.StepsAsync(runId);
        await first.Process.KillAsync();

        await sandbox.StartServeAsync("serve#2");
        string? status = null;
        var interrupted = await Poll.UntilAsync(async () => (status = await StatusAsync(runId)) == "interrupted", InterruptedWithin, TimeSpan.FromSeconds(1));
        Assert.That(interrupted, Is.True, $"within {InterruptedWithin.TotalSeconds:0} s of the kill the run reads interrupted; it reads {status}");
        Assert.That(await sandbox.ModelVersionsAsync(slow.Name), Is.Empty, "nothing was registered by the cut-off run");

        var resumed = await ClusterSandbox.CliAsync(["resume", runId, .. sandbox.StateArguments]);
        var after = await sandbox.StepsAsync(runId);
        var versions = await sandbox.ModelVersionsAsync(slow.Name);
        var artifacts = await sandbox.ArtifactPathsAsync(slow.Name);
        var runs = await sandbox.RunsAsync(slow.Name);
        await TestContext.Out.WriteLineAsync($"steps before the kill: {string.Join("; ", before)}; after the resume: {string.Join("; ", after)}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(resumed.Exit, Is.Zero, $"mlops resume: {resumed.Stderr}");
            Assert.That(await StatusAsync(runId), Is.EqualTo("succeeded"));
            Assert.That(runs.Select(r => r.RunId), Is.EqualTo(new[] { runId }), "no other run was started for it");
            Assert.That(after.Single(s => s.StepId == "prep"), Is.EqualTo(before.Single(s => s.StepId == "prep")), "the finished prep step is not redone");
            Assert.That(versions.Select(v => v.GetProperty("runId").GetString()), Is.EqualTo(new[] { runId }), "exactly one model version, from the run");
            Assert.That(artifacts.Select(a => File.Exists(Path.Combine(sandbox.Home, "artifacts", a))), Is.EqualTo(new[] { true }), "its model file is there");
        }

        async Task<string?> StatusAsync(string id)
        {
            var shown = await ClusterSandbox.CliAsync(["show", id, "--json", .. sandbox.StateArguments]);
            Assert.That(shown.Exit, Is.Zero, shown.Stderr);
            using var json = JsonDocument.Parse(shown.Stdout);
            return json.RootElement.GetProperty("status").GetString();
        }
    }
}
