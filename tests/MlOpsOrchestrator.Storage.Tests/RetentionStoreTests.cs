using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Storage.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Storage.Tests;

/// <summary>
/// The two deletions garbage collection makes, on both engines: a model version goes only when no alias points to it
/// (checked under the model's lock, so a promotion cannot race it), a run only once it has ended.
/// </summary>
[TestFixtureSource(typeof(StoreEngines), nameof(StoreEngines.All))]
public sealed class RetentionStoreTests(StoreEngine engine) : StoreFixture(engine)
{
    [Test]
    public async Task DeleteVersionAsync_AliasPointsToIt_RefusedAndEverythingKept()
    {
        var name = Sample.Name("taxi-fare");
        await Stores.Registry.RegisterAsync(Sample.Model(name, "run-a"), CancellationToken.None);
        await Stores.Registry.RegisterAsync(Sample.Model(name, "run-b"), CancellationToken.None);
        await Stores.Registry.MoveAliasAsync(name, "production", 1, "alice", null, Sample.T0, CancellationToken.None);

        var deleted = await Stores.Registry.DeleteVersionAsync(name, 1, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(deleted, Is.False);
            Assert.That(await Stores.Registry.GetAsync(name, 1, CancellationToken.None), Is.Not.Null);
            Assert.That((await Stores.Registry.GetAliasesAsync(name, CancellationToken.None))["production"], Is.EqualTo(1));
            Assert.That(await Stores.Registry.GetAliasHistoryAsync(name, CancellationToken.None), Has.Count.EqualTo(1));
        }
    }

    [Test]
    public async Task DeleteVersionAsync_AliasMovedAway_DeletesTheRowAndTheHistoryThatNamesIt_NumbersNotReused()
    {
        var name = Sample.Name("taxi-fare");
        await Stores.Registry.RegisterAsync(Sample.Model(name, "run-a"), CancellationToken.None);
        await Stores.Registry.RegisterAsync(Sample.Model(name, "run-b"), CancellationToken.None);
        await Stores.Registry.MoveAliasAsync(name, "production", 1, "deploy", null, Sample.T0, CancellationToken.None);
        await Stores.Registry.MoveAliasAsync(name, "production", 2, "deploy", null, Sample.T0.AddHours(1), CancellationToken.None);

        var deleted = await Stores.Registry.DeleteVersionAsync(name, 1, CancellationToken.None);
        var again = await Stores.Registry.DeleteVersionAsync(name, 1, CancellationToken.None);
        var next = await Stores.Registry.RegisterAsync(Sample.Model(name, "run-c"), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(deleted, Is.True);
            Assert.That(again, Is.False, "already gone");
            Assert.That((await Stores.Registry.ListVersionsAsync(name, CancellationToken.None)).Select(v => v.Version), Is.EqualTo(new[] { 2, 3 }));
            Assert.That(next.Version, Is.EqualTo(3), "version numbers are never reused");
            Assert.That((await Stores.Registry.GetAliasHistoryAsync(name, CancellationToken.None)).Select(h => (h.Version, h.PreviousVersion)), Is.EqualTo(new[] { (2, (int?)1) }));
        }
    }

    [Test]
    public async Task DeleteVersionAsync_UnknownModelOrVersion_False()
    {
        Assert.That(await Stores.Registry.DeleteVersionAsync(Sample.Name("nobody"), 1, CancellationToken.None), Is.False);
    }

    [TestCase(RunStatus.Pending, false)]
    [TestCase(RunStatus.Running, false)]
    [TestCase(RunStatus.AwaitingApproval, false)]
    [TestCase(RunStatus.Interrupted, false)]
    [TestCase(RunStatus.Succeeded, true)]
    [TestCase(RunStatus.Failed, true)]
    [TestCase(RunStatus.Cancelled, true)]
    public async Task DeleteEndedRunAsync_OnlyARunThatEnded_GoesWithItsSteps(RunStatus status, bool deletes)
    {
        var run = Sample.Run(Sample.Name("taxi-fare"));
        var (created, _) = await Stores.Runs.CreateAsync(run, Sample.Steps(run, "prep", "train"), CancellationToken.None);
        await Stores.RunExecution.CommitAsync(null, [], created with { Status = status, FinishedAt = Sample.T0.AddMinutes(1) }, CancellationToken.None);

        var deleted = await Stores.RunExecution.DeleteEndedRunAsync(run.RunId, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(deleted, Is.EqualTo(deletes));
            Assert.That(await Stores.Runs.GetAsync(run.RunId, CancellationToken.None), deletes ? Is.Null : Is.Not.Null);
            Assert.That(await Stores.Runs.GetStepsAsync(run.RunId, CancellationToken.None), deletes ? Is.Empty : Has.Count.EqualTo(2));
            Assert.That(await Stores.RunExecution.DeleteEndedRunAsync(run.RunId, CancellationToken.None), Is.False, "nothing left to delete, or still not ended");
        }
    }
}
