using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Storage.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Storage.Tests;

/// <summary>
/// A cancel request is the one write from outside an executor that is not fenced by the run's owner: it reaches a run
/// a live executor holds, is never overwritten by that executor's commits, and is refused for a run that has ended.
/// </summary>
[TestFixtureSource(typeof(StoreEngines), nameof(StoreEngines.All))]
public sealed class RunStoreCancelTests(StoreEngine engine) : StoreFixture(engine)
{
    [Test]
    public async Task RequestCancelAsync_RunOwnedByALiveExecutor_IsRecorded_AndSurvivesTheExecutorsCommits()
    {
        var run = await CreateRunAsync(r => r);
        var claim = await Stores.RunExecution.ClaimAsync(run.RunId, "host-a:1", Sample.T0, TimeSpan.FromSeconds(30), CancellationToken.None);

        var requested = await Stores.RunExecution.RequestCancelAsync(run.RunId, new CancelRequest("alice", "wrong data", Sample.T0.AddSeconds(1)), CancellationToken.None);
        await Stores.RunExecution.CommitAsync("host-a:1", [], claim.Run! with { Error = "still going" }, CancellationToken.None);

        var read = await Stores.Runs.GetAsync(run.RunId, CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(requested!.CancelRequest, Is.EqualTo(new CancelRequest("alice", "wrong data", Sample.T0.AddSeconds(1))));
            Assert.That(read!.CancelRequest, Is.EqualTo(requested.CancelRequest), "the executor's commit leaves the request alone");
            Assert.That(read.Owner, Is.EqualTo("host-a:1"), "the request changes nothing the executor owns");
            Assert.That(read.Status, Is.EqualTo(RunStatus.Running));
        }
    }

    [Test]
    public async Task RequestCancelAsync_Twice_KeepsTheFirst_AReasonMayBeAbsent()
    {
        var run = await CreateRunAsync(r => r);

        await Stores.RunExecution.RequestCancelAsync(run.RunId, new CancelRequest("alice", null, Sample.T0), CancellationToken.None);
        var second = await Stores.RunExecution.RequestCancelAsync(run.RunId, new CancelRequest("bob", "later", Sample.T0.AddMinutes(1)), CancellationToken.None);

        Assert.That(second!.CancelRequest, Is.EqualTo(new CancelRequest("alice", null, Sample.T0)));
    }

    [TestCase(RunStatus.Succeeded)]
    [TestCase(RunStatus.Failed)]
    [TestCase(RunStatus.Cancelled)]
    public async Task RequestCancelAsync_EndedRun_NothingRecorded(RunStatus status)
    {
        var run = await CreateRunAsync(r => r with { Status = status, FinishedAt = Sample.T0 });

        var read = await Stores.RunExecution.RequestCancelAsync(run.RunId, new CancelRequest("alice", null, Sample.T0), CancellationToken.None);

        Assert.That(read!.CancelRequest, Is.Null);
    }

    [Test]
    public async Task RequestCancelAsync_UnknownRun_IsNull()
    {
        Assert.That(await Stores.RunExecution.RequestCancelAsync("no-such-run", new CancelRequest("alice", null, Sample.T0), CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task CreateAsync_WhoAndLinks_AreReadBack()
    {
        var run = await CreateRunAsync(r => r with { RequestedBy = "alice (token, 10.0.0.5, api)", RetryOf = "earlier-run", ResumedBy = "bob" });

        var read = await Stores.Runs.GetAsync(run.RunId, CancellationToken.None);

        Assert.That((read!.RequestedBy, read.RetryOf, read.ResumedBy), Is.EqualTo(("alice (token, 10.0.0.5, api)", "earlier-run", "bob")));
    }

    private async Task<RunRecord> CreateRunAsync(Func<RunRecord, RunRecord> change)
    {
        var run = change(Sample.Run(Sample.Name("taxi")));
        await Stores.Runs.CreateAsync(run, Sample.Steps(run, "prep", "train", "deploy"), CancellationToken.None);
        return run;
    }
}
