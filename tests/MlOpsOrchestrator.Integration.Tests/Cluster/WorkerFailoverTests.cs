using System.Globalization;
using System.Text.Json;
using NUnit.Framework;

namespace MlOpsOrchestrator.Integration.Tests.Cluster;

/// <summary>
/// The execution side of a PostgreSQL cluster, with real processes: a <c>mlops worker</c> killed in the middle of a
/// run (SIGKILL, as a lost machine) has the run finished by another process, after its last finished step, with
/// exactly one model version.
/// </summary>
[Category("cluster")]
[Category(Faults.FaultSuite.Category)]
public sealed class WorkerFailoverTests
{
    /// <summary>How long another process may take to pick the run up before it counts as lost.</summary>
    private static readonly TimeSpan TakeOverWithin = TimeSpan.FromSeconds(90);

    private ClusterSandbox? _sandbox;

    [TearDown]
    public async Task KillProcesses() => _sandbox = await ClusterSandbox.EndTestAsync(_sandbox);

    /// <remarks>
    /// <c>serve</c> executes runs too, and an enqueue wakes its own idle executor first, so the serve gets one executor
    /// (<c>--workers 1</c>) and is kept busy with a run of another pipeline; the run under test then goes
    /// to one of the two workers, which is killed while the run trains.
    /// </remarks>
    [Test]
    public async Task Worker_KilledMidRun_AnotherProcessFinishesTheRunWithOneModelVersion()
    {
        var sandbox = _sandbox = await ClusterSandbox.CreateAsync("worker_killed");
        await Task.WhenAll(sandbox.WriteChurnDataAsync("big.csv", 20000), sandbox.WriteChurnDataAsync("small.csv", 4000));
        var slow = new ChurnPipeline("slow", "big.csv") { FastTreeTrees = 800 };
        var blocker = new ChurnPipeline("blocker", "small.csv") { FastTreeTrees = 300 };
        sandbox.WritePipeline(slow.Name, slow.ToYaml());
        sandbox.WritePipeline(blocker.Name, blocker.ToYaml());

        var serveTask = sandbox.StartServeAsync("serve", arguments: ["--workers", "1"]);
        var workerTasks = new[] { sandbox.StartWorkerAsync("worker#1"), sandbox.StartWorkerAsync("worker#2") };
        var serve = await serveTask;
        var workers = await Task.WhenAll(workerTasks);

        // Usually the serve's own idle executor takes the first blocker, but a worker polling at that moment may win:
        // start blockers until one occupies the serve.
        var blockerOwners = new List<string>();
        for (var attempt = 0; attempt < 4 && !blockerOwners.Contains(serve.Process.Name); attempt++)
        {
            var blockerRun = await serve.StartRunAsync(blocker.Name);
            int? ownerPid = null;
            var owned = await Poll.UntilAsync(async () => (ownerPid = (await sandbox.RunAsync(blocker.Name, blockerRun))?.OwnerPid) is not null, TimeSpan.FromSeconds(15));
            Assert.That(owned, Is.True, $"blocker run {blockerRun} started");
            blockerOwners.Add(new[] { serve.Process }.Concat(workers.Select(w => w.Process)).SingleOrDefault(p => p.Id == ownerPid)?.Name ?? $"pid {ownerPid}");
        }

        Assert.That(blockerOwners, Does.Contain(serve.Process.Name), $"a blocker run occupies the serve's one executor (blockers ran on: {string.Join(", ", blockerOwners)})");

        var runId = await serve.StartRunAsync(slow.Name);
        RunRow? run = null;
        var training = await Poll.UntilAsync(async () =>
        {
            run = await sandbox.RunAsync(slow.Name, runId);
            return run?.OwnerPid is not null && (await sandbox.StepsAsync(runId)).Any(s => s.StepId == "train" && s.Status == "running");
        }, TimeSpan.FromSeconds(30));
        Assert.That(training, Is.True, $"run {runId} reached its train step: {run}");
        var victim = workers.Select(w => w.Process).SingleOrDefault(p => p.Id == run!.OwnerPid);
        Assert.That(victim, Is.Not.Null, $"run {runId} executes on a worker (owner {run!.Owner}; serve is pid {serve.Process.Id}, workers {string.Join(", ", workers.Select(w => w.Process.Id))})");

        await Task.Delay(TimeSpan.FromSeconds(2));
        var before = await sandbox.StepsAsync(runId);
        var deadOwner = (await sandbox.RunAsync(slow.Name, runId))!.Owner;
        await victim!.KillAsync();
        var killedAt = victim.KilledAt!.Value;
        await TestContext.Out.WriteLineAsync($"killed {victim.Name} (pid {victim.Id}) at {RunRow.Format(killedAt)} while run {runId} trained; steps then: {string.Join("; ", before)}");

        DateTimeOffset? takenOverAt = null;
        var finished = await Poll.UntilAsync(async () =>
        {
            run = await sandbox.RunAsync(slow.Name, runId);
            if (takenOverAt is null && (run!.Status != "running" || (run.Owner is not null && run.Owner != deadOwner)))
            {
                takenOverAt = DateTimeOffset.UtcNow;
            }

            return run!.Status is "succeeded" or "failed" or "cancelled";
        }, TakeOverWithin, TimeSpan.FromMilliseconds(500));

        var after = await sandbox.StepsAsync(runId);
        var queue = await sandbox.TextRowsAsync("SELECT 'job ' || jobid || ' queue ' || queue || ' fetchedat ' || coalesce(fetchedat::text, '-') FROM hangfire.jobqueue ORDER BY id");
        var shown = await ClusterSandbox.CliAsync(["show", runId, "--json", .. sandbox.StateArguments]);
        var evidence = $"run {runId} at {RunRow.Format(DateTimeOffset.UtcNow)}: {run}; heartbeat {RunRow.Format(run!.HeartbeatAt)}; " +
                       $"taken over {(takenOverAt is { } t ? $"{(t - killedAt).TotalSeconds:0.0} s after the kill" : "never")}; " +
                       $"steps: {string.Join("; ", after)}; hangfire.jobqueue: {string.Join("; ", queue)}; " +
                       $"'mlops show' says status {StatusOf(shown.Stdout)}";
        await TestContext.Out.WriteLineAsync(evidence);

        Assert.That(finished, Is.True,
            $"another process finishes the run within {TakeOverWithin.TotalSeconds:0} s of the worker's death; {evidence}");
        var versions = await sandbox.ModelVersionsAsync(slow.Name);
        var finisher = new[] { serve.Process }.Concat(workers.Select(w => w.Process)).Where(p => p != victim)
            .Where(p => p.StderrLines($"Run {runId} succeeded").Count > 0).Select(p => p.Name).ToList();
        var prepBefore = before.Single(s => s.StepId == "prep");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Status, Is.EqualTo("succeeded"), evidence);
            Assert.That(finisher, Has.Count.EqualTo(1), $"one surviving process logged that it finished run {runId}");
            Assert.That(versions.Select(v => v.GetProperty("runId").GetString()), Is.EqualTo(new[] { runId }), "exactly one model version, registered by the run");
            Assert.That(run.ModelVersion, Is.EqualTo(1), "the run records the version it registered");
            Assert.That(after.Single(s => s.StepId == "prep"), Is.EqualTo(prepBefore), "the finished prep step is not redone");
            Assert.That(after.Single(s => s.StepId == "train").Attempts, Is.EqualTo(2), "the train step cut off by the kill runs again");
            Assert.That(after.Single(s => s.StepId == "deploy").Attempts, Is.EqualTo(1), "deploy runs once");
        }
    }

    private static string StatusOf(string showJson)
    {
        try
        {
            using var json = JsonDocument.Parse(showJson);
            return json.RootElement.GetProperty("status").GetString() ?? "?";
        }
        catch (JsonException)
        {
            return string.Create(CultureInfo.InvariantCulture, $"(no JSON: {showJson})");
        }
    }
}
