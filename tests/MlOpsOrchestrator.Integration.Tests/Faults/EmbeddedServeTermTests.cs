using MlOpsOrchestrator.Integration.Tests.Cluster;
using NUnit.Framework;

namespace MlOpsOrchestrator.Integration.Tests.Faults;

/// <summary>
/// SIGTERM of an embedded <c>mlops serve</c> while a run trains: the run is recorded <c>interrupted</c> with what will
/// happen to it, and the next serve on the same home resumes it at start-up after its last finished step, as the
/// shutdown log said, with exactly one model version and no second run. (A <c>kill -9</c> is left to a person:
/// <see cref="EmbeddedServeKillTests"/>.)
/// </summary>
[Category(FaultSuite.Category)]
public sealed class EmbeddedServeTermTests
{
    private ClusterSandbox? _sandbox;

    [TearDown]
    public async Task KillProcesses() => _sandbox = await ClusterSandbox.EndTestAsync(_sandbox);

    [Test]
    public async Task EmbeddedServe_StoppedMidStep_NextServeResumesTheRunAtStart()
    {
        var sandbox = _sandbox = await ClusterSandbox.CreateEmbeddedAsync("serve-term");
        await sandbox.WriteChurnDataAsync("churn-large.csv", 10000);
        var slow = new ChurnPipeline("slow", "churn-large.csv") { FastTreeTrees = 300 };
        sandbox.WritePipeline(slow.Name, slow.ToYaml());

        var first = await sandbox.StartServeAsync("serve#1");
        var runId = await first.StartRunAsync(slow.Name);
        await first.Process.WaitForStderrAsync($"[{runId} train] Step train: started", TimeSpan.FromSeconds(60));
        var before = await sandbox.StepsAsync(runId);
        var exit = await first.Process.TerminateAsync(TimeSpan.FromSeconds(30));
        var interrupted = await sandbox.RunAsync(slow.Name, runId);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.Zero, "serve stops gracefully on SIGTERM");
            Assert.That(first.Process.Stderr, Does.Contain("when serve starts again in embedded mode"), "the shutdown says what happens to the run");
            Assert.That(interrupted?.Status, Is.EqualTo("interrupted"), interrupted?.ToString());
            Assert.That(interrupted?.Error, Does.Contain("when serve starts again"), "the run says what happens to it");
            Assert.That(await sandbox.ModelVersionsAsync(slow.Name), Is.Empty, "nothing was registered by the cut-off run");
        }

        var second = await sandbox.StartServeAsync("serve#2");
        RunRow? run = null;
        var finished = await Poll.UntilAsync(async () => (run = await sandbox.RunAsync(slow.Name, runId))?.Status is "succeeded" or "failed", TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(1));
        var after = await sandbox.StepsAsync(runId);
        var versions = await sandbox.ModelVersionsAsync(slow.Name);
        await TestContext.Out.WriteLineAsync($"steps before the stop: {string.Join("; ", before)}; after the restart: {string.Join("; ", after)}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(finished, Is.True, $"the restarted serve finished the run; it reads {run}\n{second.Process.Describe()}");
            Assert.That(run?.Status, Is.EqualTo("succeeded"), run?.ToString());
            Assert.That(second.Process.Stderr, Does.Contain($"Run {runId} of {slow.Name} was interrupted when the previous serve shut down"));
            Assert.That((await sandbox.RunsAsync(slow.Name)).Select(r => r.RunId), Is.EqualTo(new[] { runId }), "no other run was started for it");
            Assert.That(after.Single(s => s.StepId == "prep"), Is.EqualTo(before.Single(s => s.StepId == "prep")), "the finished prep step is not redone");
            Assert.That(after.Single(s => s.StepId == "train").Attempts, Is.EqualTo(2), "training started again");
            Assert.That(versions.Select(v => v.GetProperty("runId").GetString()), Is.EqualTo(new[] { runId }), "exactly one model version, from the run");
        }
    }
}
