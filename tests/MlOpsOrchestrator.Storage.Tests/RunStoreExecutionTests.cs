using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Stores;
using MlOpsOrchestrator.Storage.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Storage.Tests;

/// <summary>
/// The two operations an executor's run costs in the store: the claim that reads everything once, and the batched
/// commits, each fenced by the owner the writer expects (the executor itself; nobody, for a decision from outside).
/// </summary>
[TestFixtureSource(typeof(StoreEngines), nameof(StoreEngines.All))]
public sealed class RunStoreExecutionTests(StoreEngine engine) : StoreFixture(engine)
{
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(30);

    [Test]
    public async Task ClaimAsync_PendingRun_ClaimsMarksRunningAndReturnsRunWithSteps()
    {
        var run = await CreateRunAsync(r => r with { Error = "left from before" });

        var claim = await Stores.RunExecution.ClaimAsync(run.RunId, "host-a:1", Sample.T0, StaleAfter, CancellationToken.None);

        var read = await Stores.Runs.GetAsync(run.RunId, CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(claim.Claimed, Is.True);
            RecordAssert.SameRun(claim.Run, read!);
            Assert.That(read!.Status, Is.EqualTo(RunStatus.Running));
            Assert.That(read.Owner, Is.EqualTo("host-a:1"));
            Assert.That(read.HeartbeatAt, Is.EqualTo(Sample.T0));
            Assert.That(read.StartedAt, Is.EqualTo(Sample.T0));
            Assert.That(read.Error, Is.Null);
            Assert.That(claim.Steps.Select(s => s.StepId), Is.EqualTo(new[] { "prep", "train", "deploy" }), "in execution order");
        }
    }

    [Test]
    public async Task ClaimAsync_ResumedRun_KeepsFirstStartTime()
    {
        var run = await CreateRunAsync(r => r with { Status = RunStatus.Interrupted, StartedAt = Sample.T0.AddHours(-1) });

        var claim = await Stores.RunExecution.ClaimAsync(run.RunId, "host-a:1", Sample.T0, StaleAfter, CancellationToken.None);

        Assert.That(claim.Claimed, Is.True);
        Assert.That(claim.Run!.StartedAt, Is.EqualTo(Sample.T0.AddHours(-1)));
    }

    [TestCase(RunStatus.Succeeded)]
    [TestCase(RunStatus.Failed)]
    [TestCase(RunStatus.Cancelled)]
    public async Task ClaimAsync_EndedRun_NotClaimedAndUntouched(RunStatus status)
    {
        var run = await CreateRunAsync(r => r with { Status = status, FinishedAt = Sample.T0 });

        var claim = await Stores.RunExecution.ClaimAsync(run.RunId, "host-a:1", Sample.T0.AddMinutes(1), StaleAfter, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(claim.Claimed, Is.False);
            Assert.That(claim.Run!.Status, Is.EqualTo(status));
            Assert.That(claim.Run.Owner, Is.Null, "an ended run never gets an owner");
            RecordAssert.SameRun(await Stores.Runs.GetAsync(run.RunId, CancellationToken.None), run);
        }
    }

    [Test]
    public async Task ClaimAsync_LiveOtherOwner_NotClaimedAndUntouched()
    {
        var run = await CreateRunAsync(r => r with { Owner = "host-b:2", HeartbeatAt = Sample.T0 });

        var claim = await Stores.RunExecution.ClaimAsync(run.RunId, "host-a:1", Sample.T0.AddSeconds(5), StaleAfter, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(claim.Claimed, Is.False);
            Assert.That(claim.Run!.Owner, Is.EqualTo("host-b:2"));
            Assert.That(claim.Run.Status, Is.EqualTo(RunStatus.Pending));
        }
    }

    [Test]
    public async Task ClaimAsync_StaleOwner_TakesOver()
    {
        var run = await CreateRunAsync(r => r with { Owner = "host-b:2", HeartbeatAt = Sample.T0 });

        var claim = await Stores.RunExecution.ClaimAsync(run.RunId, "host-a:1", Sample.T0 + StaleAfter + TimeSpan.FromMilliseconds(1), StaleAfter, CancellationToken.None);

        Assert.That(claim.Claimed, Is.True);
        Assert.That(claim.Run!.Owner, Is.EqualTo("host-a:1"));
    }

    [Test]
    public async Task ClaimAsync_UnknownRun_NoRun()
    {
        var claim = await Stores.RunExecution.ClaimAsync("no-such-run", "host-a:1", Sample.T0, StaleAfter, CancellationToken.None);

        Assert.That(claim.Run, Is.Null);
        Assert.That(claim.Claimed, Is.False);
        Assert.That(claim.Steps, Is.Empty);
    }

    [Test]
    public async Task ClaimAsync_TwoClaimantsRaceFromTwoProcesses_ExactlyOneWins([Range(1, 10)] int round)
    {
        await using var other = await OpenAnotherAsync();
        var run = await CreateRunAsync();
        using var start = new Barrier(2);

        Task<bool> Claim(StorageSet stores, string owner) => Task.Run(async () =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(10));
            return (await stores.RunExecution.ClaimAsync(run.RunId, owner, Sample.T0, StaleAfter, CancellationToken.None)).Claimed;
        });

        var results = await Task.WhenAll(Claim(Stores, "host-a:1"), Claim(other, "host-b:2"));

        Assert.That(results.Count(won => won), Is.EqualTo(1), $"round {round}");
        Assert.That((await Stores.Runs.GetAsync(run.RunId, CancellationToken.None))!.Owner, Is.EqualTo(results[0] ? "host-a:1" : "host-b:2"));
    }

    [Test]
    public async Task CommitAsync_Unowned_StepsAndRun_AllWritten()
    {
        var run = await CreateRunAsync();
        var steps = await Stores.Runs.GetStepsAsync(run.RunId, CancellationToken.None);
        var prep = steps[0] with
        {
            Status = StepStatus.Succeeded, Attempts = 1, StartedAt = Sample.T0, FinishedAt = Sample.T0.AddSeconds(2),
            Result = new PrepResult { Rows = 40, TrainRows = 32, TestRows = 8 }, Metrics = new Dictionary<string, double> { ["rows"] = 40 },
        };
        var train = steps[1] with { Status = StepStatus.Running, Attempts = 1, StartedAt = Sample.T0.AddSeconds(2) };
        var running = run with { Status = RunStatus.Running, StartedAt = Sample.T0 };

        await Stores.RunExecution.CommitAsync(null, [prep, train], running, CancellationToken.None);

        var read = await Stores.Runs.GetStepsAsync(run.RunId, CancellationToken.None);
        RecordAssert.SameStep(read[0], prep);
        RecordAssert.SameStep(read[1], train);
        RecordAssert.SameStep(read[2], steps[2]);
        RecordAssert.SameRun(await Stores.Runs.GetAsync(run.RunId, CancellationToken.None), running);
    }

    [Test]
    public async Task CommitAsync_Owner_WritesStepsAndRun()
    {
        var run = await CreateRunAsync();
        var claim = await Stores.RunExecution.ClaimAsync(run.RunId, "host-a:1", Sample.T0, StaleAfter, CancellationToken.None);
        var prep = claim.Steps[0] with { Status = StepStatus.Succeeded, Attempts = 1 };

        await Stores.RunExecution.CommitAsync("host-a:1", [prep], claim.Run! with { Error = "noted", Owner = null }, CancellationToken.None);

        var read = await Stores.Runs.GetAsync(run.RunId, CancellationToken.None);
        var steps = await Stores.Runs.GetStepsAsync(run.RunId, CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(steps[0].Status, Is.EqualTo(StepStatus.Succeeded));
            Assert.That(read!.Error, Is.EqualTo("noted"));
            Assert.That(read.Owner, Is.Null, "the owner may hand the run back in the same write");
        }
    }

    [Test]
    public async Task CommitAsync_RunTakenOverMeanwhile_ThrowsAndWritesNothing()
    {
        var run = await CreateRunAsync();
        var stalled = await Stores.RunExecution.ClaimAsync(run.RunId, "host-a:1", Sample.T0, StaleAfter, CancellationToken.None);
        var takeover = await Stores.RunExecution.ClaimAsync(run.RunId, "host-b:2", Sample.T0.AddMinutes(1), StaleAfter, CancellationToken.None);
        Assert.That(takeover.Claimed, Is.True, "host-a's heartbeat is older than the limit");

        var late = stalled.Steps[0] with { Status = StepStatus.Failed, Error = "late write" };
        Assert.That(async () => await Stores.RunExecution.CommitAsync("host-a:1", [late], stalled.Run! with { Status = RunStatus.Failed }, CancellationToken.None),
            Throws.TypeOf<RunOwnershipLostException>().With.Message.Contains("host-b:2"));
        Assert.That(async () => await Stores.RunExecution.CommitAsync("host-a:1", [late], null, CancellationToken.None),
            Throws.TypeOf<RunOwnershipLostException>(), "a write of steps alone is fenced too");

        var read = await Stores.Runs.GetAsync(run.RunId, CancellationToken.None);
        var steps = await Stores.Runs.GetStepsAsync(run.RunId, CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(read!.Owner, Is.EqualTo("host-b:2"), "the new owner keeps the run");
            Assert.That(read.Status, Is.EqualTo(RunStatus.Running));
            Assert.That(steps[0].Status, Is.EqualTo(StepStatus.Pending), "no step was overwritten");
        }
    }

    [Test]
    public async Task CommitAsync_Unowned_StepsOnly_RunUntouched()
    {
        var run = await CreateRunAsync();
        var steps = await Stores.Runs.GetStepsAsync(run.RunId, CancellationToken.None);

        await Stores.RunExecution.CommitAsync(null, [steps[2] with { Status = StepStatus.Skipped, Error = "not run" }], null, CancellationToken.None);

        Assert.That((await Stores.Runs.GetStepsAsync(run.RunId, CancellationToken.None))[2].Status, Is.EqualTo(StepStatus.Skipped));
        RecordAssert.SameRun(await Stores.Runs.GetAsync(run.RunId, CancellationToken.None), run);
    }

    [Test]
    public async Task CommitAsync_Unowned_UnknownStep_ThrowsKeyNotFound()
    {
        var run = await CreateRunAsync();

        await Assert.ThrowsAsync<KeyNotFoundException>(() =>
            Stores.RunExecution.CommitAsync(null, [Sample.Step(run, "no-such-step")], null, CancellationToken.None));
    }

    [Test]
    public async Task CommitAsync_ExpectingNobody_RunClaimedMeanwhile_ThrowsAndWritesNothing()
    {
        var run = await CreateRunAsync();
        var steps = await Stores.Runs.GetStepsAsync(run.RunId, CancellationToken.None);
        var claim = await Stores.RunExecution.ClaimAsync(run.RunId, "host-a:1", Sample.T0, StaleAfter, CancellationToken.None);

        // A decision from outside read the run before the claim: it expects nobody to own it.
        Assert.That(async () => await Stores.RunExecution.CommitAsync(
                null, [steps[0] with { Status = StepStatus.Cancelled, DecidedBy = "alice" }], run with { Status = RunStatus.Cancelled }, CancellationToken.None),
            Throws.TypeOf<RunOwnershipLostException>().With.Message.Contains("host-a:1"));
        Assert.That(async () => await Stores.RunExecution.CommitAsync(null, [steps[0] with { Status = StepStatus.Cancelled }], null, CancellationToken.None),
            Throws.TypeOf<RunOwnershipLostException>(), "a write of steps alone is fenced too");

        RecordAssert.SameRun(await Stores.Runs.GetAsync(run.RunId, CancellationToken.None), claim.Run!);
        RecordAssert.SameStep((await Stores.Runs.GetStepsAsync(run.RunId, CancellationToken.None))[0], steps[0]);
    }

    [Test]
    public async Task CommitAsync_ExpectingAnOwner_RunUnowned_ThrowsAndWritesNothing()
    {
        var run = await CreateRunAsync();
        var steps = await Stores.Runs.GetStepsAsync(run.RunId, CancellationToken.None);

        Assert.That(async () => await Stores.RunExecution.CommitAsync(
                "host-a:1", [steps[0] with { Status = StepStatus.Running }], run with { Status = RunStatus.Running }, CancellationToken.None),
            Throws.TypeOf<RunOwnershipLostException>().With.Message.Contains("nobody"));

        RecordAssert.SameRun(await Stores.Runs.GetAsync(run.RunId, CancellationToken.None), run);
        RecordAssert.SameStep((await Stores.Runs.GetStepsAsync(run.RunId, CancellationToken.None))[0], steps[0]);
    }

    [Test]
    public async Task CommitAsync_ExpectingTheDeadOwnerItRead_WritesAndHandsTheRunBack()
    {
        // A resume of a run whose executor died: the decision expects the dead owner and releases the run.
        var run = await CreateRunAsync(r => r with { Status = RunStatus.Running, Owner = "host-a:1", HeartbeatAt = Sample.T0.AddHours(-1) });
        var steps = await Stores.Runs.GetStepsAsync(run.RunId, CancellationToken.None);
        var pending = run with { Status = RunStatus.Pending, Owner = null, HeartbeatAt = null };

        await Stores.RunExecution.CommitAsync("host-a:1", [steps[0] with { Status = StepStatus.Pending, Error = null }], pending, CancellationToken.None);

        RecordAssert.SameRun(await Stores.Runs.GetAsync(run.RunId, CancellationToken.None), pending);
        Assert.That(await Stores.RunExecution.HeartbeatAsync(run.RunId, "host-a:1", Sample.T0, CancellationToken.None), Is.False,
            "the dead owner, should it come back, learns it lost the run");
    }

    [Test]
    public async Task CommitAsync_StepOfAnotherRun_ThrowsAndWritesNothing()
    {
        var run = await CreateRunAsync();
        var other = await CreateRunAsync();
        var stranger = (await Stores.Runs.GetStepsAsync(other.RunId, CancellationToken.None))[0] with { Status = StepStatus.Failed };

        Assert.That(async () => await Stores.RunExecution.CommitAsync(null, [stranger], run with { Status = RunStatus.Failed }, CancellationToken.None),
            Throws.ArgumentException.With.Message.Contains(other.RunId));

        RecordAssert.SameRun(await Stores.Runs.GetAsync(run.RunId, CancellationToken.None), run);
        Assert.That((await Stores.Runs.GetStepsAsync(other.RunId, CancellationToken.None))[0].Status, Is.EqualTo(StepStatus.Pending));
    }

    [Test]
    public async Task CommitAsync_DecisionRacesAClaimFromTwoProcesses_NeverOverwritesTheClaimant([Range(1, 5)] int round)
    {
        await using var other = await OpenAnotherAsync();
        var run = await CreateRunAsync();
        var steps = await Stores.Runs.GetStepsAsync(run.RunId, CancellationToken.None);
        var rejected = steps[0] with { Status = StepStatus.Cancelled, DecidedBy = "alice" };
        using var start = new Barrier(2);

        var claiming = Task.Run(async () =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(10));
            return await other.RunExecution.ClaimAsync(run.RunId, "host-a:1", Sample.T0, StaleAfter, CancellationToken.None);
        });
        var deciding = Task.Run(async () =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(10));
            try
            {
                await Stores.RunExecution.CommitAsync(null, [rejected], run with { Error = "decided" }, CancellationToken.None);
                return true;
            }
            catch (RunOwnershipLostException)
            {
                return false;
            }
        });
        var (claim, decided) = (await claiming, await deciding);

        var read = await Stores.Runs.GetAsync(run.RunId, CancellationToken.None);
        var step = (await Stores.Runs.GetStepsAsync(run.RunId, CancellationToken.None))[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(claim.Claimed, Is.True, $"round {round}: the run was not ended, so the claim always wins it");
            Assert.That(read!.Owner, Is.EqualTo("host-a:1"), $"round {round}");
            Assert.That(read.Status, Is.EqualTo(RunStatus.Running), $"round {round}: the decision never overwrites the claim");
            Assert.That(step.Status, Is.EqualTo(decided ? StepStatus.Cancelled : StepStatus.Pending), $"round {round}: the decision is all or nothing");
        }
    }

    private async Task<RunRecord> CreateRunAsync(Func<RunRecord, RunRecord>? change = null)
    {
        var run = Sample.Run(Sample.Name("taxi"));
        run = change?.Invoke(run) ?? run;
        await Stores.Runs.CreateAsync(run, Sample.Steps(run, "prep", "train", "deploy"), CancellationToken.None);
        return run;
    }
}
