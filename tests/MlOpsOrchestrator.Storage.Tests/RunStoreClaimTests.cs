using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Storage.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Storage.Tests;

/// <summary>Who owns a run: the claim's ownership rule (live, stale, own, none) and the heartbeat.</summary>
[TestFixtureSource(typeof(StoreEngines), nameof(StoreEngines.All))]
public sealed class RunStoreClaimTests(StoreEngine engine) : StoreFixture(engine)
{
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(30);

    [Test]
    public async Task ClaimAsync_Unowned_ClaimsAndRecordsOwnerAndHeartbeat()
    {
        var run = await CreateRunAsync();

        var claimed = await ClaimedAsync(run.RunId, "host-a:1", Sample.T0, StaleAfter, CancellationToken.None);

        var read = await Stores.Runs.GetAsync(run.RunId, CancellationToken.None);
        Assert.That(claimed, Is.True);
        Assert.That(read!.Owner, Is.EqualTo("host-a:1"));
        Assert.That(read.HeartbeatAt, Is.EqualTo(Sample.T0));
    }

    [Test]
    public async Task ClaimAsync_LiveOtherOwner_ReturnsFalseAndKeepsOwner()
    {
        var run = await CreateRunAsync();
        await ClaimedAsync(run.RunId, "host-a:1", Sample.T0, StaleAfter, CancellationToken.None);

        var claimed = await ClaimedAsync(run.RunId, "host-b:2", Sample.T0 + StaleAfter, StaleAfter, CancellationToken.None);

        var read = await Stores.Runs.GetAsync(run.RunId, CancellationToken.None);
        Assert.That(claimed, Is.False, "a heartbeat exactly staleAfter old is still live");
        Assert.That(read!.Owner, Is.EqualTo("host-a:1"));
        Assert.That(read.HeartbeatAt, Is.EqualTo(Sample.T0));
    }

    [Test]
    public async Task ClaimAsync_StaleOwner_TakesOver()
    {
        var run = await CreateRunAsync();
        await ClaimedAsync(run.RunId, "host-a:1", Sample.T0, StaleAfter, CancellationToken.None);
        var later = Sample.T0 + StaleAfter + TimeSpan.FromMilliseconds(1);

        var claimed = await ClaimedAsync(run.RunId, "host-b:2", later, StaleAfter, CancellationToken.None);
        var oldOwnerBeats = await Stores.RunExecution.HeartbeatAsync(run.RunId, "host-a:1", later, CancellationToken.None);

        var read = await Stores.Runs.GetAsync(run.RunId, CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(claimed, Is.True);
            Assert.That(read!.Owner, Is.EqualTo("host-b:2"));
            Assert.That(read.HeartbeatAt, Is.EqualTo(later));
            Assert.That(oldOwnerBeats, Is.False, "the old owner must learn it lost the run");
        }
    }

    [Test]
    public async Task ClaimAsync_CallerAlreadyOwns_ClaimsAgainAndRefreshesHeartbeat()
    {
        var run = await CreateRunAsync();
        await ClaimedAsync(run.RunId, "host-a:1", Sample.T0, StaleAfter, CancellationToken.None);

        var claimed = await ClaimedAsync(run.RunId, "host-a:1", Sample.T0.AddSeconds(5), StaleAfter, CancellationToken.None);

        Assert.That(claimed, Is.True);
        Assert.That((await Stores.Runs.GetAsync(run.RunId, CancellationToken.None))!.HeartbeatAt, Is.EqualTo(Sample.T0.AddSeconds(5)));
    }

    [Test]
    public async Task ClaimAsync_OwnerWithoutHeartbeat_IsTakenOver()
    {
        var run = await CreateRunAsync(r => r with { Owner = "host-a:1", HeartbeatAt = null });

        Assert.That(await ClaimedAsync(run.RunId, "host-b:2", Sample.T0, StaleAfter, CancellationToken.None), Is.True);
    }

    [Test]
    public async Task ClaimAsync_HugeStaleAfter_NeverTakesOver()
    {
        var run = await CreateRunAsync();
        await ClaimedAsync(run.RunId, "host-a:1", Sample.T0, StaleAfter, CancellationToken.None);

        Assert.That(await ClaimedAsync(run.RunId, "host-b:2", Sample.T0.AddYears(1), TimeSpan.MaxValue, CancellationToken.None), Is.False);
    }

    [Test]
    public async Task HeartbeatAsync_Owner_RefreshesHeartbeat()
    {
        var run = await CreateRunAsync();
        await ClaimedAsync(run.RunId, "host-a:1", Sample.T0, StaleAfter, CancellationToken.None);

        var alive = await Stores.RunExecution.HeartbeatAsync(run.RunId, "host-a:1", Sample.T0.AddSeconds(10), CancellationToken.None);

        Assert.That(alive, Is.True);
        Assert.That((await Stores.Runs.GetAsync(run.RunId, CancellationToken.None))!.HeartbeatAt, Is.EqualTo(Sample.T0.AddSeconds(10)));
    }

    [Test]
    public async Task HeartbeatAsync_NotOwner_ReturnsFalseAndChangesNothing()
    {
        var run = await CreateRunAsync();
        var unowned = await Stores.RunExecution.HeartbeatAsync(run.RunId, "host-a:1", Sample.T0, CancellationToken.None);
        await ClaimedAsync(run.RunId, "host-a:1", Sample.T0, StaleAfter, CancellationToken.None);

        var stranger = await Stores.RunExecution.HeartbeatAsync(run.RunId, "host-b:2", Sample.T0.AddSeconds(10), CancellationToken.None);
        var unknown = await Stores.RunExecution.HeartbeatAsync("no-such-run", "host-a:1", Sample.T0, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(unowned, Is.False);
            Assert.That(stranger, Is.False);
            Assert.That(unknown, Is.False);
            Assert.That((await Stores.Runs.GetAsync(run.RunId, CancellationToken.None))!.HeartbeatAt, Is.EqualTo(Sample.T0));
        }
    }

    /// <summary>Whether <paramref name="owner"/> got the run: the ownership half of the claim, which these tests are about.</summary>
    private async Task<bool> ClaimedAsync(string runId, string owner, DateTimeOffset now, TimeSpan staleAfter, CancellationToken ct) =>
        (await Stores.RunExecution.ClaimAsync(runId, owner, now, staleAfter, ct)).Claimed;

    private async Task<RunRecord> CreateRunAsync(Func<RunRecord, RunRecord>? change = null)
    {
        var run = Sample.Run(Sample.Name("taxi")) with { Status = RunStatus.Running };
        run = change?.Invoke(run) ?? run;
        await Stores.Runs.CreateAsync(run, Sample.Steps(run, "prep"), CancellationToken.None);
        return run;
    }
}
